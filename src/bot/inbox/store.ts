import { randomUUID } from 'node:crypto';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import type { InboundMessage } from '../types.ts';

/**
 * The durable inbox (docs/wecom.md, "What happens on a crash or a retry"): one row per inbound
 * message in `inbound_messages`, keyed by channel + the platform's message id (the console's id
 * already carries its sender, src/channels/console/adapter.ts). A claim is a lease in MySQL,
 * renewed while the answer runs: it outlives neither the answer (completed or released with
 * it) nor the process (a dead process stops renewing, and the platform's retry takes the claim
 * once the lease has passed). Leases use the database's clock, shared by every process.
 * Any channel plugs in by giving its messages a stable `messageId`.
 */
export type InboxKey = Pick<InboundMessage, 'channel' | 'messageId'>;
/** `recorded`: the text answered on the request (neither deferred nor pushed), kept for a retry of it. */
export type Claim = { kind: 'claimed'; token: string; takenOver: boolean } | { kind: 'answered'; recorded?: string } | { kind: 'busy' };

const leaseMs = (services: Services) => services.config.INBOX_LEASE_MS;
const LEASE = 'NOW(3) + INTERVAL ? MICROSECOND';

/** The message as the inbox keeps it while unanswered (what a recovering answer job runs). */
export const messagePayload = (msg: InboundMessage): string => JSON.stringify({ ...msg, receivedAt: msg.receivedAt.toISOString() });

/** Records the message and claims it: a new message, a released one, or one whose claimer's lease ran out. */
export async function claimInbound(services: Services, msg: InboundMessage): Promise<Claim> {
  // 122 random bits as 32 hex digits (the column's width); randomUUID draws from Node's cached
  // entropy, where randomBytes(16) went to the system for every claim.
  const token = randomUUID().replaceAll('-', '');
  const lease = leaseMs(services) * 1000;
  // INSERT IGNORE, not ON DUPLICATE KEY: mysql2 reports found rows, so only an ignored insert says 0 unambiguously.
  const [ins] = await services.sql.execute<ResultSetHeader>(
    `INSERT IGNORE INTO inbound_messages (channel, message_id, sender, state, claim_token, lease_until, attempts, payload)
     VALUES (?, ?, ?, 'claimed', ?, ${LEASE}, 1, ?)`,
    [msg.channel, msg.messageId, msg.from.slice(0, 128), token, lease, messagePayload(msg)],
  );
  if (ins.affectedRows === 1) return { kind: 'claimed', token, takenOver: false };
  // The slow path recorded the message before any claim (markDeferred, attempts 0): a first claim, not a take-over.
  const [first] = await services.sql.execute<ResultSetHeader>(
    `UPDATE inbound_messages SET state = 'claimed', claim_token = ?, lease_until = ${LEASE}, attempts = 1, updated_at = NOW(3)
     WHERE channel = ? AND message_id = ? AND state = 'released' AND attempts = 0`,
    [token, lease, msg.channel, msg.messageId],
  );
  if (first.affectedRows === 1) return { kind: 'claimed', token, takenOver: false };
  // One UPDATE decides between concurrent retries: the row lock lets exactly one of them match.
  const [upd] = await services.sql.execute<ResultSetHeader>(
    `UPDATE inbound_messages SET state = 'claimed', claim_token = ?, lease_until = ${LEASE}, attempts = attempts + 1, updated_at = NOW(3)
     WHERE channel = ? AND message_id = ? AND (state = 'released' OR (state = 'claimed' AND lease_until < NOW(3)))`,
    [token, lease, msg.channel, msg.messageId],
  );
  if (upd.affectedRows === 1) return { kind: 'claimed', token, takenOver: true };
  const row = await inboxRow(services, msg);
  if (row?.state !== 'answered') return { kind: 'busy' };
  const text = !row.deferred && !row.pushed ? (row.reply as { text?: unknown } | null)?.text : undefined;
  return typeof text === 'string' ? { kind: 'answered', recorded: text } : { kind: 'answered' };
}

/**
 * Records a message that was pulled, not pushed (微信客服 sync_msg): no process is answering it
 * yet, so it is kept as `released` (free to claim) and `deferred` (its answer is pushed), with its
 * payload for the answer job. Recording the same message again changes nothing: returns whether
 * this call recorded it. `conn`: a transaction the caller commits with other writes.
 */
export async function recordPulled(services: Services, msg: InboundMessage, conn?: PoolConnection): Promise<boolean> {
  const [ins] = await (conn ?? services.sql).execute<ResultSetHeader>(
    `INSERT IGNORE INTO inbound_messages (channel, message_id, sender, state, attempts, payload, deferred_at) VALUES (?, ?, ?, 'released', 0, ?, NOW(3))`,
    [msg.channel, msg.messageId, msg.from.slice(0, 128), messagePayload(msg)],
  );
  return ins.affectedRows === 1;
}

/**
 * A claim as the token-guarded writes below take it: the message's key finds the row through its
 * unique index, so each write locks that one row. (Found by token alone — an unindexed column — an
 * UPDATE scanned and locked every claimed row: a completion inside an answer's transaction then
 * blocked, or deadlocked with, the completion and lease renewal of every other message.)
 */
export type ClaimHandle = InboxKey & { token: string };
const BY_CLAIM = `channel = ? AND message_id = ? AND claim_token = ? AND state = 'claimed'`;
const claimArgs = (c: ClaimHandle) => [c.channel, c.messageId, c.token];

/** Extends a live claim; false when it is no longer ours (taken over after a stall). */
export async function renewClaim(services: Services, claim: ClaimHandle): Promise<boolean> {
  const [res] = await services.sql.execute<ResultSetHeader>(`UPDATE inbound_messages SET lease_until = ${LEASE} WHERE ${BY_CLAIM}`, [leaseMs(services) * 1000, ...claimArgs(claim)]);
  return res.affectedRows === 1;
}

/**
 * Marks the message answered and forgets its text. The answer (`reply`, its outbound job) is kept
 * in the same UPDATE: when the callback was already acked (deferred) until its push is queued, so
 * a crash between the answer and the queue cannot lose it (the answer job queues it); otherwise
 * (without its image, which only a push carries) so that the platform's retry after a crash
 * between this UPDATE and the HTTP response gets this answer, not a second execution. Rows go
 * with the inbox's pruning (INBOX_RETENTION_DAYS). `conn`: the transaction holding the answer's
 * writes (src/bot/inbox/claim.ts), which commits only if this UPDATE found the claim still ours.
 */
export async function completeClaim(services: Services, claim: ClaimHandle, reply: Reply | null, conn?: PoolConnection): Promise<boolean> {
  const { sql, values } = completion(claim, reply);
  const [res] = await (conn ?? services.sql).execute<ResultSetHeader>(sql, values);
  return completed(res);
}

type Reply = { text: string; image?: unknown; [k: string]: unknown };

/** completeClaim's UPDATE as a statement (sent with the turn's audit rows in one round trip: src/bot/inbox/claim.ts). */
export function completion(claim: ClaimHandle, reply: Reply | null): { sql: string; values: (string | null)[] } {
  const full = reply ? JSON.stringify(reply) : null;
  // Without an image both forms are the same text: serialised and escaped once (a chat turn's hot path).
  if (!reply?.image) return { sql: `${COMPLETE} reply = ? WHERE ${BY_CLAIM}`, values: [full, ...claimArgs(claim)] };
  return { sql: `${COMPLETE} reply = IF(deferred_at IS NULL, ?, ?) WHERE ${BY_CLAIM}`, values: [JSON.stringify({ ...reply, image: undefined }), full, ...claimArgs(claim)] };
}

const COMPLETE = `UPDATE inbound_messages SET state = 'answered', claim_token = NULL, lease_until = NULL, payload = NULL, answered_at = NOW(3), updated_at = NOW(3),`;

/** Whether the completion found the claim still ours (the message is recorded answered). */
export const completed = (res: ResultSetHeader): boolean => res.affectedRows === 1;

/** Gives the message back after a failure, so a retry of it is processed, not dropped. */
export async function releaseClaim(services: Services, claim: ClaimHandle): Promise<void> {
  await services.sql.execute(`UPDATE inbound_messages SET state = 'released', claim_token = NULL, lease_until = NULL, updated_at = NOW(3) WHERE ${BY_CLAIM}`, claimArgs(claim));
}

/** Notes that the callback is being acked before the answer (slow path); returns the state at that moment. */
export async function markDeferred(services: Services, msg: InboundMessage): Promise<string | undefined> {
  // An upsert, not an UPDATE: with a budget already spent on arrival the ack can come before the
  // pipeline's claim inserted the row. The row is then recorded unclaimed (attempts 0, with its
  // payload) so the recovery sweep and the answer job know it is owed an answer; the claim that
  // follows takes it as a first claim. A message already answered stays as it was answered: its
  // reply went on its own request (a passive reply), and marking it deferred now would have the
  // answer job push it a second time.
  await services.sql.execute(
    `INSERT INTO inbound_messages (channel, message_id, sender, state, attempts, payload, deferred_at)
     VALUES (?, ?, ?, 'released', 0, ?, NOW(3))
     ON DUPLICATE KEY UPDATE deferred_at = IF(state = 'answered', deferred_at, COALESCE(deferred_at, NOW(3))), updated_at = NOW(3)`,
    [msg.channel, msg.messageId, msg.from.slice(0, 128), messagePayload(msg)],
  );
  return (await inboxRow(services, msg))?.state;
}

/** The deferred answer's push is queued: its text need not be kept any longer. */
export async function markPushed(services: Services, key: InboxKey): Promise<void> {
  await services.sql.execute(`UPDATE inbound_messages SET reply = NULL, pushed_at = COALESCE(pushed_at, NOW(3)), updated_at = NOW(3) WHERE channel = ? AND message_id = ?`, [key.channel, key.messageId]);
}

const PRUNE_BATCH = 5000;

/**
 * Deletes the rows of messages received before `before` (the created_at index finds them), in
 * batches so a large backlog never holds a long lock; returns how many went. A message that
 * old is past any retry of its platform, whatever its state.
 */
export async function pruneInbox(services: Services, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const [res] = await services.sql.execute<ResultSetHeader>(`DELETE FROM inbound_messages WHERE created_at < ? ORDER BY created_at LIMIT ${PRUNE_BATCH}`, [before]);
    total += res.affectedRows;
    if (res.affectedRows < PRUNE_BATCH) return total;
  }
}

export interface InboxRow {
  state: 'claimed' | 'answered' | 'released';
  /** A claim whose lease has run out (its process died). */
  stale: boolean;
  attempts: number;
  deferred: boolean;
  reply: object | null;
  pushed: boolean;
}

export async function inboxRow(services: Services, key: InboxKey): Promise<InboxRow | undefined> {
  const [rows] = await services.sql.execute<RowDataPacket[]>(
    `SELECT state, (lease_until IS NOT NULL AND lease_until < NOW(3)) AS stale, attempts, deferred_at IS NOT NULL AS deferred, reply, pushed_at IS NOT NULL AS pushed
     FROM inbound_messages WHERE channel = ? AND message_id = ?`,
    [key.channel, key.messageId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return { state: r.state, stale: Boolean(r.stale), attempts: Number(r.attempts), deferred: Boolean(r.deferred), reply: r.reply ? JSON.parse(r.reply) : null, pushed: Boolean(r.pushed) };
}
