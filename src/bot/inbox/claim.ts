import { withSharedTransaction } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';
import type { BotAnswer, HandleOutcome, InboundMessage } from '../types.ts';
import { claimInbound, completeClaim, releaseClaim, renewClaim } from './store.ts';

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
  const claim = await claimInbound(services, msg);
  if (claim.kind !== 'claimed') {
    log.info({ retryCount: msg.retryCount, state: claim.kind, recorded: claim.kind === 'answered' && claim.recorded !== undefined }, 'duplicate message: not run again');
    if (claim.kind === 'answered' && claim.recorded !== undefined) {
      return { kind: 'duplicate', state: 'answered', recorded: { intent: 'inbox.recorded', slots: {}, confidence: 1, text: claim.recorded } };
    }
    return { kind: 'duplicate', state: claim.kind };
  }
  if (claim.takenOver) log.warn('message taken over from a claim whose process stopped');
  const held = { channel: msg.channel, messageId: msg.messageId, token: claim.token };
  const every = Math.max(100, Math.floor(services.config.INBOX_LEASE_MS / 3));
  const beat = setInterval(() => void renewClaim(services, held).catch((err) => log.warn({ err: String(err) }, 'inbox lease not renewed')), every);
  beat.unref();
  const replyOf = (outcome: HandleOutcome) => (outcome.kind === 'answer' ? replyJobOf(msg, outcome.answer) : null);
  let result: Awaited<ReturnType<typeof withSharedTransaction<HandleOutcome>>>;
  try {
    result = await withSharedTransaction(services.sql, answer, async (conn, outcome) => {
      clearInterval(beat);
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
    }, `${msg.channel}\n${msg.messageId}`);
  } catch (e) {
    // The answer failed, or its writes could not be committed with the completion: none of them stays, and the retry answers.
    clearInterval(beat);
    await releaseClaim(services, held).catch((err) => log.warn({ err: String(err) }, 'inbox claim not released'));
    throw e;
  }
  if (!result.committed) {
    log.warn({ wrote: result.wrote }, 'inbox claim was taken over while answering (a stall longer than the lease)');
    // The process that holds the claim now answers (and writes) instead; its writes here were rolled
    // back. Giving this answer too — even one that wrote nothing — would answer the message twice.
    return { kind: 'duplicate', state: 'busy' };
  }
  return result.out;
}
