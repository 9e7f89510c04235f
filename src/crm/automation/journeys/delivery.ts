/**
 * Delivery accounting (docs/journeys.md, "Delivery states"): what the engine does with a send
 * whose answer it never got. The execution row says `sending` (our attempt, `attempted_at`)
 * without the provider's acknowledgement (`acked_at`): the process stopped, the database failed
 * before the answer was written, or the provider did not answer in time. Before such a send is
 * retried or counted it is reconciled with the provider, and the cause recorded is the one that
 * was seen, not a guess.
 */
import type { OutboundMessage, OutboundSender, Reconciled } from './deps.ts';

/**
 * Why a send was left without an answer, most specific first: what the engine wrote at the time
 * (`in_doubt: no answer within …`), what BullMQ kept of the failed attempt (a database error
 * after the send), or the job being redelivered after its worker stopped.
 */
export function interruptionCause(recorded: string | null, job: JobHistory | undefined): string {
  if (recorded) return recorded;
  if (job?.stalled) return `interrupted: the worker stopped during the send (killed or lost its job lock)${job.failedReason ? `; an earlier attempt failed: ${job.failedReason}` : ''}`;
  if (job?.failedReason) return `interrupted: the attempt failed after the send started: ${job.failedReason}`;
  return 'interrupted: the worker stopped during the send (no error was recorded)';
}

/** What the queue knows of a job's earlier attempts (BullMQ: failedReason, stalledCounter). */
export interface JobHistory {
  failedReason?: string;
  /** The job was taken back from a worker that stopped renewing its lock. */
  stalled: boolean;
}

/**
 * Asks the provider what became of `message`, whose send was attempted at `attemptedAt`. An
 * attempt younger than the sender's longest send (`inFlightMs`: its timeouts) may belong to a run
 * still waiting for the provider's answer, so it is not settled yet — unknown, ask again later —
 * whatever the provider would say: resending it would race the live send, and a lookup could miss
 * it. Older:
 * - a provider that collapses a resend by its idempotency key (SMS, e-mail) is sent the same
 *   message with the same key, and its answer is the truth: accepted → delivered (once, however
 *   often it was asked); refused → absent; no answer or a transient error → unknown;
 * - a provider that can be looked up (WeCom: its msgid and the recipients) is looked up;
 * - any other (the mini-program) cannot tell: unknown, and asking again will not help.
 */
export async function reconcileSend(sender: OutboundSender, message: OutboundMessage, attemptedAt: Date, now: Date): Promise<Reconciled> {
  const age = now.getTime() - attemptedAt.getTime();
  if ((sender.idempotent || sender.reconcile) && age < (sender.inFlightMs ?? 0)) {
    return { status: 'unknown', reason: `${sender.name}: the attempt ${Math.round(age / 1000)} s ago may still be waiting for its answer`, retryable: true };
  }
  if (sender.idempotent) {
    const r = await sender.send(message);
    if (r.status === 'sent') return { status: 'delivered', ...(r.providerId ? { providerId: r.providerId } : {}) };
    if (r.status === 'unreachable' || (r.status === 'failed' && !r.retryable)) return { status: 'absent' };
    return { status: 'unknown', reason: `${sender.name} resend with the same idempotency key: ${r.code}: ${r.message}`, retryable: true };
  }
  if (sender.reconcile) return sender.reconcile(message, new Date(attemptedAt.getTime() - 60_000)); // the provider's clock may lag ours
  return { status: 'unknown', reason: `${sender.name} cannot be asked (no idempotency key, no message lookup), so it was not resent`, retryable: false };
}
