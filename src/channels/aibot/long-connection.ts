/**
 * The AI bot's long-connection mode (AIBOT_MODE=websocket, docs/wecom-setup.md): one WebSocket
 * to WeCom (no public IP, no callback URL), through the official @wecom/aibot-node-sdk — it
 * takes our endpoint (AIBOT_WS_URL: a proxy or a test server), authenticates
 * (aibot_subscribe), keeps the heartbeat (ping; two missed acks = dead) and reconnects with
 * exponential back-off; we ask it never to give up (maxReconnectAttempts -1).
 *
 * Frames in: aibot_msg_callback / aibot_event_callback, whose body is the callback JSON of
 * callback mode (./payload.ts). Frames out, on the callback's req_id: aibot_respond_msg (the
 * stream: 处理中… after AIBOT_PLACEHOLDER_MS, then the answer with finish), the welcome
 * (aibot_respond_welcome_msg) and card updates (aibot_respond_update_msg). Nothing refreshes a
 * stream here: we push its chunks ourselves. The durable inbox answers each msgid once; an
 * answer later than AIBOT_STREAM_MAX_MS, or longer than a stream, is relayed as an app message.
 */
import type { WSClient, WsFrame } from '@wecom/aibot-node-sdk';
import type { BotAnswer, HandleMessage, HandleOutcome, InboundMessage } from '../../bot/types.ts';
import { AppError, lazyModule } from '../../crm/kernel/index.ts';
import { t } from '../../i18n/index.ts';
import type { Services } from '../../services.ts';
import type { ChannelAdapter } from '../types.ts';
import type { WeComApiClient } from '../wecom/api-client.ts';
import { EMPTY_ACK, langOf } from './adapter.ts';
import { relayAnswer } from './channel.ts';
import { storeFeedback } from './feedback.ts';
import { aibotPayloadSchema, classifyAiBot, streamIdOf } from './payload.ts';
import { askPush, askReply } from './quota.ts';
import { cardUpdateBody, fitsStream, streamBody, streamHead, welcomeBody } from './render.ts';

export interface AiBotLongConnection {
  client: WSClient;
  /** Resolves once the socket is authenticated (the first time). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface LongConnectionOptions {
  handle: HandleMessage;
  /** Base of the reconnect back-off (ms); the SDK doubles it per attempt up to 30 s. */
  reconnectMs?: number;
  heartbeatMs?: number;
}

/**
 * The wecom_aibot adapter of a process in long-connection mode: no callback URL (the route
 * answers 503), only the relay of answers as app messages (the outbound worker's push).
 */
export function longConnectionPushAdapter(api: WeComApiClient | undefined): ChannelAdapter {
  return {
    channel: 'wecom_aibot',
    maxBodyBytes: 1024,
    parse: () => {
      throw new AppError('channel_not_configured', 'the AI bot runs in long-connection mode (AIBOT_MODE=websocket): it has no callback URL');
    },
    reply: () => EMPTY_ACK,
    async push(to, text, requestId) {
      if (!api) throw new AppError('aibot_push_unavailable', 'an AI-bot answer must be relayed as an app message: set WECOM_SECRET and WECOM_AGENT_ID');
      await api.sendText(to, text, requestId);
    },
  };
}


/** The SDK, loaded only by a process that opens the long connection (src/crm/kernel/lazy-module.ts). */
const aibotSdk = lazyModule<typeof import('@wecom/aibot-node-sdk')>('@wecom/aibot-node-sdk');

export function startAiBotLongConnection(services: Services, opts: LongConnectionOptions): AiBotLongConnection {
  const c = services.config;
  if (!c.AIBOT_BOT_ID || !c.AIBOT_SECRET) throw new AppError('channel_not_configured', 'AIBOT_MODE=websocket needs AIBOT_BOT_ID and AIBOT_SECRET', { status: 500 });
  const log = services.logger.child({ channel: 'wecom_aibot', mode: 'websocket' });
  const client = new (aibotSdk().WSClient)({
    botId: c.AIBOT_BOT_ID,
    secret: c.AIBOT_SECRET,
    wsUrl: c.AIBOT_WS_URL,
    reconnectInterval: opts.reconnectMs ?? 1000,
    maxReconnectAttempts: -1,
    ...(opts.heartbeatMs ? { heartbeatInterval: opts.heartbeatMs } : {}),
    logger: {
      debug: () => undefined,
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.error(m),
    },
  });
  const inflight = new Set<Promise<unknown>>();
  /** Message ids whose first frame is being answered on this connection. */
  const answering = new Set<string>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch((err) => log.error({ err }, 'AI-bot frame not handled')).finally(() => inflight.delete(q));
    inflight.add(q);
  };

  /**
   * What the stream could not carry (too late, too long) goes to the conversation as a proactive
   * push (aibot_send_msg, markdown) while the day's push quota lasts (AIBOT_PUSHES_PER_DAY);
   * then, or when the push fails, to the asker as an app message (the outbound queue, sent once).
   */
  async function relay(msg: InboundMessage, answer: BotAnswer): Promise<void> {
    if (fitsStream(answer.text) && (await askPush(services, msg)).decision === 'sent') {
      try {
        await client.sendMessage(msg.conversationId ?? msg.from, { msgtype: 'markdown', markdown: { content: answer.text } });
        return;
      } catch (err) {
        log.warn({ err: String(err), messageId: msg.messageId }, 'AI-bot proactive push failed: relayed as an app message');
      }
    } else {
      log.info({ code: 'aibot_quota_exhausted', messageId: msg.messageId }, 'AI-bot push quota of the conversation used up (or the answer too long): relayed as an app message');
    }
    await relayAnswer(services, msg, answer);
  }

  async function answerMessage(frame: WsFrame, msg: InboundMessage): Promise<void> {
    const started = services.now().getTime();
    if (msg.action) {
      const outcome = await opts.handle(msg);
      if (outcome.kind !== 'answer') return;
      // The card update must come within 5 s of the click; a slower answer goes as an app message.
      if (services.now().getTime() - started < 4500) await client.updateTemplateCard(frame, cardUpdateBody(msg.action.taskId, outcome.answer).template_card as never);
      else await relay(msg, outcome.answer);
      return;
    }
    // A redelivery of a message this connection is still answering: the first frame owns the
    // stream (one per message id) — its placeholder and its final chunk. This one only waits on
    // the inbox claim (src/bot/inbox/claim.ts) and speaks only if it ends up answering (the first
    // lost its claim). Opening the stream again gave the message a second, empty final.
    const again = answering.has(msg.messageId);
    if (!again) answering.add(msg.messageId);
    try {
      await answerFrame(frame, msg, again);
    } finally {
      if (!again) answering.delete(msg.messageId);
    }
  }

  async function answerFrame(frame: WsFrame, msg: InboundMessage, again: boolean): Promise<void> {
    const q = await askReply(services, msg);
    if (q.decision !== 'sent') {
      log.warn({ code: 'aibot_quota_exhausted', quota: q.decision, reason: q.reason, messageId: msg.messageId }, 'AI-bot reply quota of the conversation used up: message not answered');
      return;
    }
    const id = streamIdOf(msg.messageId);
    const lang = langOf(msg.text);
    const quietly = (p: Promise<unknown>, what: string) => void p.catch((err) => log.warn({ err: String(err), messageId: msg.messageId }, what));
    // Nothing refreshes a stream on the long connection: the chunks are ours to send, on timers.
    let opened = false;
    let cut = false;
    const placeholder = setTimeout(() => {
      if (again) return;
      opened = true;
      quietly(client.reply(frame, streamBody({ id, content: t(lang, 'aibot.working'), finish: false, feedbackId: msg.messageId })), 'placeholder chunk not sent');
    }, c.AIBOT_PLACEHOLDER_MS);
    // WeCom stops taking a stream's chunks 6 minutes after the message: close it before, the answer follows by relay.
    const cutOver = setTimeout(() => {
      cut = true;
      quietly(client.reply(frame, streamBody({ id, content: t(lang, 'aibot.tooSlow'), finish: true })), 'stream past its limit not closed');
    }, c.AIBOT_STREAM_MAX_MS);
    let outcome: HandleOutcome;
    try {
      outcome = await opts.handle(msg);
    } finally {
      clearTimeout(placeholder);
      clearTimeout(cutOver);
    }
    // A redelivery of a message already answered (or being answered): the durable inbox ran it once.
    if (outcome.kind !== 'answer') {
      if (opened && !cut) quietly(client.reply(frame, streamBody({ id, content: '', finish: true })), 'stream not closed');
      return;
    }
    const answer = outcome.answer;
    if (cut) return relay(msg, answer);
    const whole = !answer.image && fitsStream(answer.text);
    const content = whole ? answer.text : streamHead(answer.text, t(lang, msg.conversationId ? 'aibot.relayedGroup' : 'aibot.relayed'));
    await client.reply(frame, streamBody({ id, content, finish: true, ...(opened ? {} : { feedbackId: msg.messageId }) }, answer.card));
    if (!whole) await relay(msg, answer);
  }

  async function onFrame(frame: WsFrame): Promise<void> {
    const parsed = aibotPayloadSchema.safeParse(frame.body);
    if (!parsed.success) {
      log.warn({ code: 'aibot_bad_callback' }, 'AI-bot frame without msgid, msgtype or from.userid: ignored');
      return;
    }
    const cb = classifyAiBot(parsed.data, services.now(), frame.headers.req_id);
    switch (cb.kind) {
      case 'message':
        return answerMessage(frame, cb.message);
      case 'enter_chat':
        await client.replyWelcome(frame, welcomeBody(c.AIBOT_WELCOME ?? t('zh', 'aibot.welcome')) as never);
        return;
      case 'feedback':
        await storeFeedback(services, cb.messageId, cb.feedback);
        return;
      case 'unreadable':
        await client.reply(frame, streamBody({ id: streamIdOf(cb.messageId), content: t('zh', 'aibot.unreadable'), finish: true }));
        return;
      default:
        return;
    }
  }

  client.on('message', (frame) => track(onFrame(frame)));
  client.on('event', (frame) => track(onFrame(frame)));
  client.on('disconnected', (reason) => log.warn({ reason }, 'AI-bot long connection lost; reconnecting'));
  client.on('error', (err) => log.warn({ err: err.message }, 'AI-bot long connection error'));
  const ready = new Promise<void>((resolve) => client.once('authenticated', () => resolve()));
  client.on('authenticated', () => log.info('AI-bot long connection authenticated'));
  client.connect();
  return {
    client,
    ready,
    async close() {
      client.disconnect();
      await Promise.allSettled([...inflight]);
    },
  };
}

