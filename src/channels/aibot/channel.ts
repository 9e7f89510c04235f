/**
 * The AI bot's callback mode at the origin: the pure adapter (./adapter.ts) plus what needs
 * state — the open streams WeCom refreshes (./streams.ts), the reply quota (./quota.ts), the
 * feedback rows (./feedback.ts) and the relay of what a stream cannot carry as a WeCom app
 * message (message/send through the one WeCom API client).
 */
import { replyJobOf } from '../../bot/inbox/claim.ts';
import { markPushed } from '../../bot/inbox/store.ts';
import type { BotAnswer, HandleOutcome, InboundMessage } from '../../bot/types.ts';
import { AppError } from '../../crm/kernel/index.ts';
import { t } from '../../i18n/index.ts';
import { queueReply } from '../../jobs/inbox-answer.ts';
import type { Services } from '../../services.ts';
import type { RawResponse } from '../types.ts';
import type { WeComApiClient } from '../wecom/api-client.ts';
import { createAiBotAdapter, EMPTY_ACK, langOf, type AiBotAdapter, type AiBotIgnored } from './adapter.ts';
import { storeFeedback } from './feedback.ts';
import { streamIdOf } from './payload.ts';
import { askReply } from './quota.ts';
import { fitsStream, streamBody, streamHead } from './render.ts';
import { aiBotStreams, type StreamState } from './streams.ts';

export interface AiBotChannelOptions {
  /** message/send for relays; without it an answer a stream cannot carry is logged and dropped. */
  api?: WeComApiClient;
}

/** The note closing a stream whose answer goes out as an app message (to the asker: a group gets no app message). */
const relayNote = (lang: 'zh' | 'en', group: boolean) => t(lang, group ? 'aibot.relayedGroup' : 'aibot.relayed');

/**
 * Queues `answer` as an app message to the asker (the outbound queue, under the message's own job
 * id: sent once), and notes the inbox row pushed.
 */
export const relayAnswer = (services: Services, msg: InboundMessage, answer: BotAnswer) => queueReply(services, msg, replyJobOf(msg, answer));

export function createAiBotChannelAdapter(services: Services, opts: AiBotChannelOptions = {}): AiBotAdapter {
  const c = services.config;
  if (!c.AIBOT_TOKEN || !c.AIBOT_AES_KEY) throw new AppError('channel_not_configured', 'AIBOT_MODE=callback needs AIBOT_TOKEN and AIBOT_AES_KEY', { status: 500 });
  const inner = createAiBotAdapter({ token: c.AIBOT_TOKEN, aesKey: c.AIBOT_AES_KEY, maxSkewS: c.WECOM_MAX_SKEW_S, placeholderMs: c.AIBOT_PLACEHOLDER_MS, ...(c.AIBOT_WELCOME ? { welcome: c.AIBOT_WELCOME } : {}) });
  const streams = aiBotStreams(services);
  const log = services.logger.child({ channel: 'wecom_aibot' });

  const finished = (id: string, s: StreamState, now: Date): RawResponse => {
    if (s.state === 'done') return inner.seal(streamBody({ id, content: s.content ?? '', finish: true }, s.card), now);
    return inner.seal(streamBody({ id, content: t(s.lang ?? 'zh', 'aibot.tooSlow'), finish: true }), now);
  };

  /** A stream-refresh callback: the current content, finished once the answer is in — or cut over before WeCom's 6 minutes end. */
  async function refresh(cb: Extract<AiBotIgnored, { kind: 'refresh' }>, now: Date): Promise<RawResponse> {
    const cur = await streams.read(cb.streamId);
    const working = () => inner.seal(streamBody({ id: cb.streamId, content: t(cur?.lang ?? 'zh', 'aibot.working'), finish: false }), now);
    if (!cur) return working();
    if (cur.state !== 'working') return finished(cb.streamId, cur, now);
    if (now.getTime() - cur.startedAt < c.AIBOT_STREAM_MAX_MS) return working();
    const after = await streams.cutOver(cb.streamId, cur);
    log.info({ streamId: cb.streamId, state: after.state }, 'stream cut over before the 6-minute limit: the answer will be relayed as an app message');
    return finished(cb.streamId, after, now);
  }

  return {
    ...inner,

    async onAccepted(parsed, now) {
      if (parsed.kind === 'message') {
        const msg = parsed.message;
        if (msg.action) return undefined; // a card click answers on its own event, not a reply of the quota
        const q = await askReply(services, msg);
        if (q.decision !== 'sent') {
          // WeCom would refuse the reply anyway: the message is not run (code aibot_quota_exhausted, docs/errors.md).
          const retryAfterS = q.decision === 'deferred' ? Math.ceil((q.until.getTime() - now.getTime()) / 1000) : undefined;
          log.warn({ code: 'aibot_quota_exhausted', quota: q.decision, reason: q.reason, messageId: msg.messageId, retryAfterS }, 'AI-bot reply quota of the conversation used up: message not answered');
          return EMPTY_ACK;
        }
        await streams.open(streamIdOf(msg.messageId), { from: msg.from, lang: langOf(msg.text), ...(msg.conversationId ? { conversationId: msg.conversationId } : {}) }, msg.receivedAt);
        return undefined;
      }
      if (parsed.kind !== 'ignored') return undefined;
      const cb = parsed.data as AiBotIgnored;
      if (cb.kind === 'refresh') return refresh(cb, now);
      if (cb.kind === 'feedback') {
        await storeFeedback(services, cb.messageId, cb.feedback);
        return undefined;
      }
      return inner.statelessResponse(cb, now);
    },

    async deliver(msg: InboundMessage, outcome: HandleOutcome) {
      if (outcome.kind !== 'answer') return;
      const answer = outcome.answer;
      // A card click's update window (5 s) has passed: the answer goes as an app message.
      if (msg.action) return relayAnswer(services, msg, answer);
      const id = streamIdOf(msg.messageId);
      const cur = await streams.read(id);
      const lang = cur?.lang ?? langOf(msg.text);
      const whole = !answer.image && fitsStream(answer.text);
      const content = whole ? answer.text : streamHead(answer.text, relayNote(lang, Boolean(msg.conversationId)));
      const meta = { startedAt: cur?.startedAt ?? msg.receivedAt.getTime(), from: msg.from, lang, ...(msg.conversationId ? { conversationId: msg.conversationId } : {}) };
      const state = await streams.finish(id, content, answer.card, meta);
      // In the stream whole: nothing to push (the inbox's answer job must not push it again).
      if (state === 'done' && whole) return markPushed(services, msg);
      return relayAnswer(services, msg, answer);
    },

    async push(to, text, requestId) {
      if (!opts.api) throw new AppError('aibot_push_unavailable', 'an AI-bot answer must be relayed as an app message: set WECOM_SECRET and WECOM_AGENT_ID');
      await opts.api.sendText(to, text, requestId);
    },
  };
}
