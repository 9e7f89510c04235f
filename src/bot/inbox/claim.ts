import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError, withSharedTransaction } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';
import type { BotAnswer, HandleOutcome, InboundMessage } from '../types.ts';
import { claimInbound, completeClaim, completed, completion, inboxRow, releaseClaim, renewClaim, type Claim, type ClaimHandle, type InboxKey } from './store.ts';

type Logger = Services['logger'];

/** The push of an answer as the outbound queue takes it (src/jobs/queues.ts, outboundJobSchema). */
export const replyJobOf = (msg: InboundMessage, answer: BotAnswer) => ({
  channel: msg.channel,
  to: msg.from,
  text: answer.text,
  requestId: msg.requestId,
  ...(answer.image ? { image: { pngBase64: answer.image.png.toString('base64'), alt: answer.image.alt } } : {}),
  ...(answer.card ? { card: answer.card } : {}),
  ...(answer.cardUpdate ? { cardUpdate: answer.cardUpdate } : {}),
});

/** The card half of an answer given passively (a passive reply carries text only): pushed on its own, or null when there is none. */
export const cardJobOf = (msg: InboundMessage, answer: BotAnswer) =>
  answer.card || answer.cardUpdate
    ? { channel: msg.channel, to: msg.from, text: '', requestId: msg.requestId, ...(answer.card ? { card: answer.card } : {}), ...(answer.cardUpdate ? { cardUpdate: answer.cardUpdate } : {}) }
    : null;

/**
 * Runs `answer` under the message's inbox claim (src/bot/inbox/store.ts): a message already
 * answered, or being answered by a live process, is a duplicate; the claim is renewed while the
 * answer runs, completed with it, and released when it throws — so the platform's retry after a
 * crash is answered once, and a retry of an answered message is not.
 *
 * The answer's writes and the completion are one transaction (the kernel's
 * withSharedTransaction: a domain write made with `withTransaction(pool, …, { joinShared: true })`
 * inside the answer joins it — today staff tag changes with their audit row):
 * a crash or an error after the write and before the completion leaves neither, so the retry runs
 * the write once; after the commit the retry gets the recorded answer. A claim taken over during a
 * stall rolls the write back — the process holding the claim now does it.
 */
export async function withInboxClaim(services: Services, msg: InboundMessage, log: Logger, answer: () => Promise<HandleOutcome>): Promise<HandleOutcome> {
  // A process that has handed its answers over (stopping) takes no claim: the next one answers.
  if (HANDED_OVER.has(services)) return { kind: 'duplicate', state: 'busy' };
  let claim = await claimInbound(services, msg);
  if (claim.kind === 'busy') {
    claim = await awaitClaim(services, msg);
    if (claim.kind === 'answered') {
      // Answered by the holder while this delivery waited: the holder's own request carries that
      // answer (passively, or acked and pushed), so this one adds nothing — not even a replay.
      log.info({ retryCount: msg.retryCount }, 'duplicate message: answered by the process that held it');
      return { kind: 'duplicate', state: 'answered' };
    }
  }
  if (claim.kind !== 'claimed') {
    log.info({ retryCount: msg.retryCount, state: claim.kind, recorded: claim.kind === 'answered' && claim.recorded !== undefined }, 'duplicate message: not run again');
    if (claim.kind === 'answered' && claim.recorded !== undefined) {
      return { kind: 'duplicate', state: 'answered', recorded: { intent: 'inbox.recorded', slots: {}, confidence: 1, text: claim.recorded } };
    }
    return { kind: 'duplicate', state: claim.kind };
  }
  const held = { channel: msg.channel, messageId: msg.messageId, token: claim.token };
  if (HANDED_OVER.has(services)) {
    // Claimed while the stop handed the others over: given back too.
    await releaseClaim(services, held).catch((err) => log.warn({ err: String(err) }, 'inbox claim not released'));
    return { kind: 'duplicate', state: 'busy' };
  }
  if (claim.takenOver) log.warn('message taken over from a claim whose process stopped');
  const every = Math.max(100, Math.floor(services.config.INBOX_LEASE_MS / 3));
  const beat = setInterval(() => void renewClaim(services, held).catch((err) => log.warn({ err: String(err) }, 'inbox lease not renewed')), every);
  beat.unref();
  const live = liveClaims(services);
  // Aborted when a stop hands this claim over (handOverClaims): the answer gives up at its next
  // wait (the LLM's call reads it through claimSignal) and nothing of it is written or sent — the
  // next process answers the message once, and the pools this one closes next are not touched.
  const gone = new AbortController();
  const mine: LiveClaim = {
    ...held,
    stop: () => {
      clearInterval(beat);
      gone.abort(new AppError('turn_handed_over', 'the process stopped: this message was handed over to the next process'));
    },
  };
  live.add(mine);
  const stillOurs = () => gone.signal.throwIfAborted();
  const replyOf = (outcome: HandleOutcome) => (outcome.kind === 'answer' ? replyJobOf(msg, outcome.answer) : null);
  const alongside: Promise<unknown>[] = [];
  let result: Awaited<ReturnType<typeof withSharedTransaction<HandleOutcome>>>;
  try {
    result = await withSharedTransaction(services.sql, () => CLAIM_SIGNAL.run(gone.signal, () => ALONGSIDE.run(alongside, answer)), async (conn, outcome) => {
      clearInterval(beat);
      stillOurs();
      if (conn) return completeClaim(services, held, replyOf(outcome), conn);
      // Nothing written: the answer exists, and a failure to record it must not turn into a 5xx and a
      // second answer. One more try first (a lock timeout or a dropped connection is usually brief):
      // an answer given but not recorded leaves a claim that a later sweep could answer again.
      const record = () => completeClaim(services, held, replyOf(outcome));
      return record()
        .catch(record)
        .catch((err) => {
          log.error({ err: String(err) }, 'inbox: answer not recorded');
          return true;
        });
    }, `${msg.channel}\n${msg.messageId}`, {
      // A turn that wrote nothing but its audit rows: rows and completion in one round trip (kernel FoldedFinish).
      statement: (outcome) => {
        clearInterval(beat);
        stillOurs();
        return completion(held, replyOf(outcome));
      },
      recorded: completed,
    });
  } catch (e) {
    // The answer failed, or its writes could not be committed with the completion: none of them stays, and the retry answers.
    clearInterval(beat);
    await Promise.allSettled(alongside);
    // (Given back already when the process is stopping: handOverClaims.)
    if (live.delete(mine)) await releaseClaim(services, held).catch((err) => log.warn({ err: String(err) }, 'inbox claim not released'));
    throw e;
  } finally {
    live.delete(mine);
  }
  // Recorded (or not) meanwhile: the answer still waits for what ran beside its completion.
  for (const r of await Promise.allSettled(alongside)) if (r.status === 'rejected') log.warn({ err: String(r.reason) }, 'a write beside the inbox completion failed');
  if (!result.committed) {
    log.warn({ wrote: result.wrote }, 'inbox claim was taken over while answering (a stall longer than the lease)');
    // The process that holds the claim now answers (and writes) instead; its writes here were rolled
    // back. Giving this answer too — even one that wrote nothing — would answer the message twice.
    return { kind: 'duplicate', state: 'busy' };
  }
  return result.out;
}

/** The running answer's claim signal (claimSignal). */
const CLAIM_SIGNAL = new AsyncLocalStorage<AbortSignal>();

/**
 * Aborted once the answer running here no longer holds its inbox claim (a stop handed it over);
 * its reason is the AppError `turn_handed_over`. Undefined outside an inbox claim. What waits on
 * something slow for an answer (the LLM's call) passes it on, so the answer stops there instead of
 * carrying on into pools the stop is about to close.
 */
export const claimSignal = (): AbortSignal | undefined => CLAIM_SIGNAL.getStore();

/** Writes an answer started last that need not be in its transaction (alongsideCompletion). */
const ALONGSIDE = new AsyncLocalStorage<Promise<unknown>[]>();

/**
 * Lets a write the answer makes last — the speaker's memory (src/bot/memory.ts) — run while the
 * inbox completion commits instead of before it: the delivery still waits for it (withInboxClaim
 * returns only once it has settled, so the speaker's next turn reads it), and a failure of it is
 * logged, never turned into a second answer (the answer may already be recorded). Such a write
 * must be one the answer could lose anyway (memory is best effort: Redis may be gone). False
 * outside an inbox claim: the caller awaits it.
 */
export function alongsideCompletion(write: Promise<unknown>): boolean {
  const list = ALONGSIDE.getStore();
  if (!list) return false;
  write.catch(() => undefined);
  list.push(write);
  return true;
}

const POLL_MS = 200;

/**
 * A delivery that finds its message claimed elsewhere waits for that claim instead of giving up:
 * acking it empty would end the platform's re-sends (an HTTP 200 ends a WeCom callback,
 * docs/wecom.md, protocol rules), and when the holder is a process that died mid-answer nobody
 * would ever answer. A dead holder's lease runs out within one lease of its last renewal, so
 * waiting that long (plus a poll) either takes the claim over, finds the message answered by a
 * live holder, or — a live holder still answering — leaves it busy. The wait runs inside the
 * route's reply budget like any answer: past the budget the callback is acked only once the
 * answer job is queued (src/http/channel-route.ts), so a crash during the wait loses nothing.
 */
async function awaitClaim(services: Services, msg: InboundMessage): Promise<Claim> {
  const until = Date.now() + services.config.INBOX_LEASE_MS + POLL_MS;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    // A stopping process leaves the message to the next one (its answer job, or the platform's retry).
    if (HANDED_OVER.has(services)) break;
    const row = await inboxRow(services, msg);
    // Only a row that may have changed hands is claimed again (a claim attempt is three statements).
    if (row && row.state === 'claimed' && !row.stale) continue;
    const claim = await claimInbound(services, msg);
    if (claim.kind !== 'busy') return claim;
  }
  return { kind: 'busy' };
}

type LiveClaim = ClaimHandle & { stop: () => void };
const LIVE = new WeakMap<Services, Set<LiveClaim>>();
/** Processes (their services) that have handed their claims over: they take no new one. */
const HANDED_OVER = new WeakSet<Services>();
const liveClaims = (services: Services): Set<LiveClaim> => {
  let set = LIVE.get(services);
  if (!set) LIVE.set(services, (set = new Set()));
  return set;
};

/**
 * A stopping process gives back the claims of the answers it is still computing (docs/operations.md,
 * "Start and stop"): released, they are free at once for the message's answer job or the platform's
 * retry in the next process, instead of blocking them for a lease. An answer that still finishes
 * here cannot complete a claim it no longer holds (token-guarded), so its writes roll back and it
 * is neither pushed nor recorded: the message is answered once, by whoever claims it next. From
 * then on this process claims nothing (a delivery waiting on a claim here would otherwise take the
 * one just given back, and die with it). Returns the messages given back.
 */
export async function handOverClaims(services: Services): Promise<InboxKey[]> {
  HANDED_OVER.add(services);
  const live = liveClaims(services);
  const claims = [...live];
  live.clear();
  for (const c of claims) c.stop();
  await Promise.allSettled(claims.map((c) => releaseClaim(services, c)));
  return claims.map(({ channel, messageId }) => ({ channel, messageId }));
}
