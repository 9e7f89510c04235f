import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { HandleMessage, HandleOutcome, InboundMessage } from '../bot/types.ts';
import type { ChannelAdapter, RawResponse } from '../channels/types.ts';
import { deferAnswer, pushAnswer, pushCardOf } from '../jobs/inbox-answer.ts';
import { isAppError, payloadTooLarge } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import type { AppEnv } from './env.ts';

export interface ChannelRouteDeps {
  services: Services;
  handle: HandleMessage;
  /** Answers still being computed after their request was acked; awaited on shutdown. */
  inflight: Set<Promise<unknown>>;
  /**
   * Aborted when the process begins to stop (src/main.ts): a callback whose answer is not ready
   * then is acked by the slow path at once instead of holding the stop for its reply budget.
   */
  stopping?: AbortSignal;
}

const TIMED_OUT = Symbol('timed out');

const send = (c: Context, r: RawResponse) => c.body(r.body, r.status as ContentfulStatusCode, { 'content-type': r.contentType });

/**
 * Rejects an oversized body before it is read whole (a 413, never a crash or a 5xx). A declared
 * Content-Length (what WeCom sends; Node's parser holds the body to it) is checked without touching
 * the body, so the handler's `c.req.text()` reads the socket straight into a string (@hono/node-server's
 * fast path); hono's bodyLimit, which counts a chunked body as it reads it, asks for `c.req.raw.body`
 * first, and that built a web ReadableStream for every callback (~4 % of the server's CPU per
 * callback, docs/benchmarks.md, bench:http). A chunked body still goes through it.
 */
export const limitBody = (adapter: ChannelAdapter): MiddlewareHandler => {
  const tooLarge = () => {
    throw payloadTooLarge('body_too_large', `request body exceeds ${adapter.maxBodyBytes} bytes`);
  };
  const counted = bodyLimit({ maxSize: adapter.maxBodyBytes, onError: tooLarge });
  return (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined || !/^\d{1,15}$/.test(declared)) return counted(c, next);
    if (Number(declared) > adapter.maxBodyBytes) tooLarge();
    return next();
  };
};

/**
 * The HTTP side of every channel: parse with the adapter, hand the message to the bot, and
 * answer within the adapter's budget. WeCom's 5-second rule (docs/wecom.md, protocol rules): when
 * the answer is not ready in time, ack with an empty 200 (so WeCom does not retry) and push
 * the answer through the outbound queue once it is ready.
 */
export function channelHandler(adapter: ChannelAdapter, deps: ChannelRouteDeps) {
  const { services, handle, inflight, stopping } = deps;

  // Queued under the message's own job id and noted in the inbox (src/jobs/inbox-answer.ts).
  // The AI bot delivers into its open stream instead (ChannelAdapter.deliver).
  const pushLater = (msg: InboundMessage, outcome: HandleOutcome) => (adapter.deliver ? adapter.deliver(msg, outcome) : pushAnswer(services, msg, outcome));
  // The callbacks waiting out their budget, cut short together by a stop: one listener on the signal
  // for the handler's life, not one added and removed per callback (an EventTarget listener each,
  // ~1.5 % of the callback path's CPU profile, docs/benchmarks.md).
  const waiting = new Set<() => void>();
  stopping?.addEventListener('abort', () => {
    for (const cut of waiting) cut();
  }, { once: true });

  return async (c: Context<AppEnv>) => {
    const requestId = c.get('requestId');
    const parsed = adapter.parse(
      {
        method: c.req.method === 'POST' ? 'POST' : 'GET',
        query: c.req.query(),
        headers: c.req.header(),
        body: c.req.method === 'POST' ? await c.req.text() : '',
        identity: c.var.identity?.from,
      },
      services.now(),
      requestId,
    );
    if (!parsed.ok) throw parsed.error;
    const answered = await adapter.onAccepted?.(parsed, services.now());
    if (answered) return send(c, answered);
    if (parsed.kind === 'verify') return send(c, parsed.response);
    if (parsed.kind === 'ignored') return c.body('', 200);

    const msg = parsed.message;
    const pending = handle(msg);
    // WeCom's 5 seconds run from when it sent the callback: what reading the body, verifying and
    // onAccepted took (and, on a starved process, the wait before the handler ran) is spent already.
    const arrivedAt = c.get('arrivedAt') ?? performance.now();
    const budget = adapter.replyBudgetMs === undefined ? undefined : Math.max(0, adapter.replyBudgetMs - (performance.now() - arrivedAt));
    let timer: NodeJS.Timeout | undefined;
    let onStop: (() => void) | undefined;
    const outcome =
      budget === undefined
        ? await pending
        : await Promise.race([
            pending,
            new Promise<typeof TIMED_OUT>((resolve) => {
              timer = setTimeout(() => resolve(TIMED_OUT), stopping?.aborted ? 0 : budget);
              // A stop cuts the budget short: the answer goes by the slow path (queued, then pushed).
              onStop = () => resolve(TIMED_OUT);
              waiting.add(onStop);
            }),
          ]);
    clearTimeout(timer);
    if (onStop) waiting.delete(onStop);

    if (outcome === TIMED_OUT) {
      const later = pending
        .then((o) => pushLater(msg, o))
        .catch((err) =>
          // Handed over at a stop (src/bot/inbox/claim.ts): the next process answers it — nothing went wrong.
          isAppError(err) && err.code === 'turn_handed_over'
            ? services.logger.info({ requestId }, 'answer given up at the stop: the next process answers it')
            : services.logger.error({ err, requestId }, 'answer after the reply budget failed'),
        )
        .finally(() => inflight.delete(later));
      inflight.add(later);
      // Ack only once the answer job is queued (docs/wecom.md, "What happens on a crash or a
      // retry"): if this process dies now, the job answers the message. When that fails the
      // callback gets a 5xx and the platform retries; the answer still running is pushed anyway.
      if ((await deferAnswer(services, msg)) === 'answered') await later;
      services.logger.info({ requestId, budget }, 'reply budget exceeded: acked, answer will be pushed');
      return send(c, adapter.reply(null, msg, services.now()));
    }
    if (outcome.kind === 'duplicate' && outcome.state === 'busy' && budget !== undefined) {
      // Still claimed by another process after waiting out a lease (src/bot/inbox/claim.ts): a
      // live one, or one stalled past it. For a callback the 200 ends the platform's re-sends, so
      // it goes out only once the answer job is queued, which answers the message if that holder
      // never does. (The console's client is told it is a duplicate, as before.)
      await deferAnswer(services, msg);
      return send(c, adapter.reply(null, msg, services.now()));
    }
    if (outcome.kind === 'duplicate' && outcome.recorded && adapter.replaysRecordedAnswer) {
      // The platform's retry of a message answered on its request: it never got that response.
      return send(c, adapter.reply(outcome.recorded, msg, services.now()));
    }
    if (outcome.kind === 'answer' && adapter.canReplyInline && !adapter.canReplyInline(outcome.answer)) {
      await pushLater(msg, outcome);
      return send(c, adapter.reply(null, msg, services.now()));
    }
    // The text goes passively; a card cannot (a passive reply is one text message), so it is pushed.
    if (adapter.pushesCards) await pushCardOf(services, msg, outcome);
    return send(c, adapter.reply(outcome.kind === 'answer' ? outcome.answer : null, msg, services.now()));
  };
}
