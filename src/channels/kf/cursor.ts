/**
 * The kf/sync_msg cursor of each kf account (`kf_cursors`, owned by the channels edge), and the
 * lock that keeps two reads of one account from overlapping. Tencent's cursor is per kf account
 * (sync_msg takes open_kfid); two processes reading from the same cursor would each record the
 * same batch (harmless: the inbox keeps one row per msgid) and could move the cursor backwards, so
 * reads of one account take turns under a MySQL named lock, which every process shares and which
 * goes with the connection of a process that dies.
 */
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { AppError } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';

type CursorServices = Pick<Services, 'sql' | 'now'>;

/** How long a callback waits for another process's read of the same account (WeCom waits 5 s for our ack). */
const LOCK_WAIT_S = 3;

export async function readCursor(services: CursorServices, openKfId: string): Promise<string> {
  const [rows] = await services.sql.execute<RowDataPacket[]>('SELECT `cursor` FROM kf_cursors WHERE open_kfid = ?', [openKfId]);
  return rows[0] ? String(rows[0].cursor) : '';
}

/** Moves the cursor on; called only once the messages read before it are recorded. */
export async function saveCursor(services: CursorServices, openKfId: string, cursor: string): Promise<void> {
  if (!cursor) return; // an empty next_cursor (nothing read) keeps the one we have
  await services.sql.execute('INSERT INTO kf_cursors (open_kfid, `cursor`, updated_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `cursor` = VALUES(`cursor`), updated_at = VALUES(updated_at)', [
    openKfId,
    cursor,
    services.now(),
  ]);
}

/**
 * Runs `read` while holding the account's named lock on a connection of its own. Throws
 * `kf_sync_busy` (retryable: the callback gets a 5xx and WeCom sends it again) when another read
 * holds it longer than LOCK_WAIT_S.
 */
export async function withSyncLock<T>(services: CursorServices, openKfId: string, read: () => Promise<T>): Promise<T> {
  const conn: PoolConnection = await services.sql.getConnection();
  // Named locks are server-wide: the database's name keeps two databases on one server apart (≤ 64 characters).
  const name = `SHA1(CONCAT(DATABASE(), ':kf_sync:', ?))`;
  try {
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT GET_LOCK(${name}, ?) AS got`, [openKfId, LOCK_WAIT_S]);
    if (Number(rows[0]?.got) !== 1) throw new AppError('kf_sync_busy', `another process is reading kf account ${openKfId}`);
    try {
      return await read();
    } finally {
      await conn.query(`SELECT RELEASE_LOCK(${name})`, [openKfId]).catch(() => undefined);
    }
  } finally {
    conn.release();
  }
}
