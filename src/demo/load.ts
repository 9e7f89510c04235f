import { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';
import type { EncodedChunk, EncodedTable, WireFormat } from './encode.ts';

/**
 * Writes encoded chunks: LOAD DATA LOCAL INFILE bodies streamed through mysql2's
 * infileStreamFactory, or INSERT statements, each table through its own writer connection.
 */

type Conn = Pick<mysql.PoolConnection, 'query'>;

/** tsv when the server accepts LOAD DATA LOCAL (MariaDB's default), sql otherwise (MySQL 8's default). */
export async function serverWireFormat(conn: Conn): Promise<WireFormat> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT @@local_infile AS on_');
  return Number(rows[0]?.on_) === 1 ? 'tsv' : 'sql';
}

// mysql2 sends each stream chunk as one protocol packet: keep them well under 16 MB.
const PIECE = 1 << 20;

function pieces(body: string): Readable {
  const buf = Buffer.from(body, 'utf8');
  return Readable.from((function* () {
    for (let i = 0; i < buf.length; i += PIECE) yield buf.subarray(i, i + PIECE);
  })());
}

async function writeTable(conn: Conn, t: EncodedTable, format: WireFormat): Promise<void> {
  if (format === 'sql') {
    for (const statement of t.payload) await conn.query(statement);
    return;
  }
  const sql = `LOAD DATA LOCAL INFILE 'seed.tsv' INTO TABLE \`${t.table}\` CHARACTER SET utf8mb4 (${t.columns.map((c) => `\`${c}\``).join(', ')})`;
  const [res] = await conn.query<mysql.ResultSetHeader>({ sql, infileStreamFactory: () => pieces(t.payload[0]!) });
  // LOCAL loads turn bad values into warnings instead of errors: a seed must never keep those.
  if (res.warningStatus > 0 || res.affectedRows !== t.rows) {
    const [w] = await conn.query<mysql.RowDataPacket[]>('SHOW WARNINGS LIMIT 3');
    throw new Error(`loading ${t.table}: ${res.affectedRows}/${t.rows} rows, ${res.warningStatus} warnings: ${w.map((x) => x.Message).join('; ')}`);
  }
}

/**
 * Which writer connections load which tables: orders (most of the bytes) on two of their own,
 * alternating by chunk so two chunks' orders load side by side; the member rows together; the
 * service records together. Nothing waits for the small tables.
 */
export const WRITER_TABLES: readonly (readonly string[])[] = [
  ['orders'],
  ['orders'],
  ['members', 'demo_member_truth', 'member_tags', 'points_ledger'],
  ['interactions', 'tickets', 'koc_profiles', 'koc_referrals'],
];

const WRITERS_OF = new Map<string, number[]>();
WRITER_TABLES.forEach((tables, i) => tables.forEach((t) => WRITERS_OF.set(t, [...(WRITERS_OF.get(t) ?? []), i])));

/** Writes chunk number `seq` (its tables spread as above). */
export async function writeChunk(writers: readonly Conn[], chunk: EncodedChunk, format: WireFormat, seq: number): Promise<void> {
  const queues: EncodedTable[][] = writers.map(() => []);
  for (const t of chunk) {
    const candidates = WRITERS_OF.get(t.table)!;
    queues[candidates[seq % candidates.length]!]!.push(t);
  }
  await Promise.all(
    queues.map(async (q, i) => {
      for (const t of q) await writeTable(writers[i]!, t, format);
    }),
  );
}
