/**
 * The origin side of the Cloudflare Workers edge (docs/deployment.md, "Edge (Cloudflare
 * Workers)"): POST /edge/handoff/:channel takes a message the edge has already verified,
 * decrypted and acknowledged, checks the edge's HMAC (src/edge/handoff.ts), and runs it through
 * the very route the direct callback uses (channel-route.ts: durable inbox claim, bot, push). It
 * is a channel adapter around the origin's own adapter of that channel: parsing is the hand-off's,
 * while side effects (onAccepted: the mini-program's reply window and subscriptions) and pushes
 * are the channel's.
 */
import { AppError } from '../crm/kernel/index.ts';
import type { BotAnswer, InboundMessage } from '../bot/types.ts';
import type { ChannelAdapter, ParseResult, RawRequest, RawResponse } from '../channels/types.ts';
import { returningClientErrors } from '../channels/shared/parse-result.ts';
import type { Config } from '../config.ts';
import { HANDOFF_MAX_BODY_BYTES, handoffSecrets, parseHandoff, verifyHandoff } from '../edge/handoff.ts';

/**
 * How long the hand-off waits for the answer before acking the edge. The edge has acked the
 * platform already or is waiting for this ack within the platform's window (WeCom: 5 s), and
 * every answer is pushed anyway, so waiting buys nothing but the time the inbox claim (the
 * pipeline's first stage) takes to be recorded, which the deferred-answer job relies on.
 */
export const HANDOFF_REPLY_BUDGET_MS = 1000;

const ACK: RawResponse = { status: 200, contentType: 'application/json', body: '{"accepted":true}' };

/** The hand-off adapter of `inner`'s channel, verified with EDGE_HANDOFF_SECRET. */
export function createHandoffAdapter(inner: ChannelAdapter, config: Pick<Config, 'EDGE_HANDOFF_SECRET' | 'EDGE_HANDOFF_MAX_SKEW_S'>): ChannelAdapter {
  if (!config.EDGE_HANDOFF_SECRET) throw new AppError('channel_not_configured', 'EDGE_HANDOFF_SECRET is required for the edge hand-off', { status: 500 });
  const secrets = handoffSecrets(config.EDGE_HANDOFF_SECRET);
  const maxSkewS = config.EDGE_HANDOFF_MAX_SKEW_S;

  function parseOrThrow(req: RawRequest, now: Date, requestId: string): ParseResult {
    // The signature covers the exact bytes the edge sent, before any parsing.
    verifyHandoff(secrets, req.headers, req.body, now, maxSkewS);
    const h = parseHandoff(req.body);
    if (h.channel !== inner.channel) throw new AppError('bad_handoff', `a ${h.channel} hand-off sent to the ${inner.channel} path`);
    if (h.kind === 'ignored') return { ok: true, kind: 'ignored', reason: h.reason, messageId: h.messageId, ...(h.data ? { data: h.data } : {}) };
    const message: InboundMessage = {
      channel: h.channel,
      messageId: h.messageId,
      from: h.from,
      text: h.text,
      // The edge's receipt time: the mini-program's 48-hour window opens when the member wrote.
      receivedAt: new Date(h.receivedAt),
      requestId,
      ...(h.retryCount !== undefined ? { retryCount: h.retryCount } : {}),
      ...(h.conversationId ? { conversationId: h.conversationId } : {}),
      ...(h.action ? { action: h.action } : {}),
    };
    return { ok: true, kind: 'message', message };
  }

  return {
    channel: inner.channel,
    maxBodyBytes: HANDOFF_MAX_BODY_BYTES,
    replyBudgetMs: HANDOFF_REPLY_BUDGET_MS,
    // The platform's request is the edge's, not this one: every answer is pushed.
    canReplyInline: () => false,
    parse: returningClientErrors(parseOrThrow),
    ...(inner.onAccepted ? { onAccepted: inner.onAccepted.bind(inner) } : {}),
    reply: (_answer: BotAnswer | null, _inbound: InboundMessage, _now: Date) => ACK,
    ...(inner.push ? { push: inner.push.bind(inner) } : {}),
    ...(inner.deliver ? { deliver: inner.deliver.bind(inner) } : {}),
  };
}
