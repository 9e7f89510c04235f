import mysql from 'mysql2/promise';
import { DEFAULT_BATCH_ROWS } from './bulk.ts';
import { CHUNK_TABLES, type ChunkRows } from './rows.ts';

/**
 * A chunk's rows as text ready for the server, built where the chunk was generated (a worker
 * thread) so the main thread only ships bytes:
 * - `tsv`: one LOAD DATA LOCAL INFILE body per table (the server parses it far cheaper than
 *   SQL, and nothing is escaped twice);
 * - `sql`: multi-row INSERT statements escaped by mysql2 itself, for servers with local_infile
 *   off (MySQL 8's default).
 * Both carry exactly the same values (seed.test.ts loads a seed through each and compares).
 */

export type WireFormat = 'tsv' | 'sql';

export interface EncodedTable {
  table: string;
  columns: readonly string[];
  rows: number;
  /** tsv: one body; sql: INSERT statements. */
  payload: string[];
}

export type EncodedChunk = EncodedTable[];

// LOAD DATA's default escapes (FIELDS TERMINATED BY '\t' ESCAPED BY '\\', LINES TERMINATED BY '\n').
const SPECIAL = /[\\\t\n\r\0]/;
const SPECIAL_ALL = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const P2 = Array.from({ length: 60 }, (_, i) => pad(i, 2));
const P3 = Array.from({ length: 1000 }, (_, i) => pad(i, 3));
const DAY_MS = 86_400_000;
// Ten million orders fall on about a thousand days: format each UTC day once.
const DAYS = new Map<number, string>();

/** 'YYYY-MM-DD HH:MM:SS.mmm' in UTC, the pool's timezone ('Z'). */
function datetime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let d = DAYS.get(day);
  if (d === undefined) {
    d = new Date(day * DAY_MS).toISOString().slice(0, 10) + ' ';
    if (DAYS.size < 100_000) DAYS.set(day, d);
  }
  let t = ms - day * DAY_MS;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const sec = t % 60;
  t = (t - sec) / 60;
  return d + P2[Math.floor(t / 60)] + ':' + P2[t % 60] + ':' + P2[sec] + '.' + P3[milli];
}

/** One value as a LOAD DATA field: \N for NULL, DATETIME(3) in UTC (the pool's timezone 'Z'). */
export function tsvField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) return datetime(v.getTime());
  throw new TypeError(`no TSV form for ${typeof v}`);
}

export function toTsv(rows: readonly unknown[][]): string {
  // join, not +=: one flat string instead of a rope per line for the collector to chase.
  const lines = new Array<string>(rows.length + 1);
  const fields: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    fields.length = row.length;
    for (let i = 0; i < row.length; i++) fields[i] = tsvField(row[i]);
    lines[r] = fields.join('\t');
  }
  lines[rows.length] = '';
  return lines.join('\n');
}

function toInserts(table: string, columns: readonly string[], rows: readonly unknown[][]): string[] {
  const head = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += DEFAULT_BATCH_ROWS) out.push(mysql.format(head, [rows.slice(i, i + DEFAULT_BATCH_ROWS)] as Parameters<typeof mysql.format>[1], false, 'Z'));
  return out;
}

export function encodeChunk(rows: ChunkRows, format: WireFormat): EncodedChunk {
  return CHUNK_TABLES.filter((t) => rows[t.key].length > 0).map((t) => ({
    table: t.table,
    columns: t.columns,
    rows: rows[t.key].length,
    payload: format === 'tsv' ? [toTsv(rows[t.key])] : toInserts(t.table, t.columns, rows[t.key]),
  }));
}
