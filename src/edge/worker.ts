/**
 * The Cloudflare Workers build of the HTTP edge (wrangler.toml; `npm run build:edge` bundles this
 * file into dist-edge/; docs/deployment.md, "Edge (Cloudflare Workers)").
 *
 * It answers the platforms' callbacks at the edge — GET URL verification, signature, freshness and
 * AES decryption with the very adapters the origin uses (src/channels, no second crypto) — dedupes
 * by the platform's message id (dedupe.ts), hands each authentic message to the origin by signed
 * HTTP (handoff.ts) and acknowledges the platform within its window: WeCom's empty 200, the
 * mini-program's "success". What needs MySQL, Redis and BullMQ (the durable inbox, the bot, the
 * pushes) stays at the origin. The platform is the retry queue: when the origin does not accept a
 * message in time the callback gets 503 `origin_unavailable` and the platform sends it again.
 */
import type { InboundMessage } from '../bot/types.ts';
import { createMiniProgramAdapter } from '../channels/miniprogram/adapter.ts';
import type { ChannelAdapter, RawRequest, RawResponse } from '../channels/types.ts';
import { createWeComAdapter } from '../channels/wecom/adapter.ts';
import { createAiBotAdapter, EMPTY_ACK, type AiBotAdapter, type AiBotIgnored } from '../channels/aibot/adapter.ts';
import { AppError, isAppError, type ErrorCode } from '../crm/kernel/index.ts';
import { errorBody } from '../http/errors.ts';
import { dedupeClient } from './dedupe.ts';
import { edgeEnvSchema, type EdgeConfig, type EdgeEnv } from './env.ts';
import { HANDOFF_PATH, signHandoff, type Handoff } from './handoff.ts';
import type { ExecutionContext } from './workers-types.ts';

export { EdgeDedupe } from './dedupe.ts';

type EdgeChannel = 'wecom' | 'miniprogram' | 'wecom_aibot';

/** The paths the platforms are configured with: the origin's (src/http/app.ts), so moving to the edge changes only the host. */
const PATHS: Record<string, EdgeChannel> = { '/wecom/callback': 'wecom', '/miniprogram/callback': 'miniprogram', '/aibot/callback': 'wecom_aibot' };

/** How often a retry that found its message being handed off looks again. */
const INFLIGHT_POLL_MS = 100;

interface Edge {
  config: EdgeConfig;
  adapters: Partial<Record<EdgeChannel, ChannelAdapter>>;
}

/** One parse of the bindings per isolate (they do not change while it lives). */
const edges = new WeakMap<object, Edge>();

function edgeOf(env: EdgeEnv): Edge {
  const cached = edges.get(env);
  if (cached) return cached;
  const parsed = edgeEnvSchema.safeParse(env);
  if (!parsed.success) {
    // Names only: a value may be a secret.
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))].join(', ');
    throw new AppError('channel_not_configured', `the edge's settings are invalid or missing: ${names}`, { status: 500 });
  }
  const c = parsed.data;
  const adapters: Edge['adapters'] = {};
  if (c.WECOM_CORP_ID && c.WECOM_TOKEN && c.WECOM_AES_KEY) {
    // The reply budget is the origin's business: the edge never answers passively.
    adapters.wecom = createWeComAdapter({ config: { WECOM_CORP_ID: c.WECOM_CORP_ID, WECOM_TOKEN: c.WECOM_TOKEN, WECOM_AES_KEY: c.WECOM_AES_KEY, WECOM_MAX_SKEW_S: c.WECOM_MAX_SKEW_S, WECOM_REPLY_BUDGET_MS: 0 } });
  }
  if (c.AIBOT_TOKEN && c.AIBOT_AES_KEY) {
    // Placeholder budget 0: the edge never waits for an answer — its first chunk is always 处理中…, WeCom's refreshes fetch the rest from the origin.
    adapters.wecom_aibot = createAiBotAdapter({ token: c.AIBOT_TOKEN, aesKey: c.AIBOT_AES_KEY, maxSkewS: c.WECOM_MAX_SKEW_S, placeholderMs: 0, ...(c.AIBOT_WELCOME ? { welcome: c.AIBOT_WELCOME } : {}) });
  }
  if (c.MP_APP_ID && c.MP_TOKEN) adapters.miniprogram = createMiniProgramAdapter({ config: { appId: c.MP_APP_ID, token: c.MP_TOKEN, aesKey: c.MP_AES_KEY } });
  const edge = { config: c, adapters };
  edges.set(env, edge);
  return edge;
}

const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => console[level](JSON.stringify({ level, msg, ...fields }));

const respond = (r: RawResponse) => new Response(r.body, { status: r.status, headers: { 'content-type': r.contentType } });

const fail = (code: ErrorCode, message: string, status: number, requestId: string) =>
  Response.json(errorBody(code, message, requestId), { status, headers: { 'x-request-id': requestId } });

/** The hand-off of an authentic callback; undefined when the origin has nothing to do with it. */
function handoffOf(adapter: ChannelAdapter, parsed: ReturnType<ChannelAdapter['parse']>, now: Date): Handoff | undefined {
  if (!parsed.ok || parsed.kind === 'verify') return undefined;
  const channel = adapter.channel;
  const receivedAt = now.toISOString();
  if (parsed.kind === 'message') {
    const m = parsed.message;
    return {
      v: 1,
      kind: 'message',
      channel,
      messageId: m.messageId,
      from: m.from,
      text: m.text,
      receivedAt,
      ...(m.retryCount !== undefined ? { retryCount: m.retryCount } : {}),
      ...(m.conversationId ? { conversationId: m.conversationId } : {}),
      ...(m.action ? { action: m.action } : {}),
    };
  }
  // The AI bot's stream refreshes and feedback need the origin's state (the stream, the feedback table).
  if (channel === 'wecom_aibot') {
    const cb = parsed.data as AiBotIgnored;
    if (cb.kind !== 'refresh' && cb.kind !== 'feedback') return undefined;
    return { v: 1, kind: 'ignored', channel, messageId: parsed.messageId, reason: parsed.reason, receivedAt, data: cb as unknown as Record<string, unknown> };
  }
  // An event goes to the origin only when it has side effects there: the mini-program's reply
  // window and subscriptions (its onAccepted), and WeCom events whose parse carries data for the
  // origin (客户联系 changes, 微信客服's kf_msg_or_event that makes the origin pull the messages).
  // Other WeCom events are acked and left alone, as at the origin.
  if (!adapter.onAccepted && !parsed.data) return undefined;
  return { v: 1, kind: 'ignored', channel, messageId: parsed.messageId, reason: parsed.reason, receivedAt, ...(parsed.data ? { data: parsed.data as Record<string, unknown> } : {}) };
}

/**
 * POSTs the signed hand-off; true when the origin accepted it (2xx) within `timeoutMs`. With
 * `answer`, the origin's response is the platform's (the AI bot's stream refresh): it is returned instead.
 */
async function handOff(config: EdgeConfig, h: Handoff, requestId: string, timeoutMs: number, answer = false): Promise<boolean | RawResponse> {
  const body = JSON.stringify(h);
  try {
    const res = await fetch(`${config.EDGE_ORIGIN_URL}${HANDOFF_PATH}/${h.channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...signHandoff(config.EDGE_HANDOFF_SECRET, body, new Date()) },
      body,
      signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
    });
    if (res.ok && answer) return { status: 200, contentType: res.headers.get('content-type') ?? 'text/plain', body: await res.text() };
    await res.body?.cancel();
    if (res.ok) return true;
    log('error', 'origin refused the hand-off', { requestId, channel: h.channel, status: res.status });
  } catch (err) {
    log('error', 'origin unreachable or too slow', { requestId, channel: h.channel, err: String(err) });
  }
  return false;
}

async function handle(request: Request, env: EdgeEnv, requestId: string, now: Date): Promise<Response> {
  const started = Date.now();
  const url = new URL(request.url);
  const channel = PATHS[url.pathname];
  if (!channel) return fail('not_found', `no route for ${request.method} ${url.pathname}`, 404, requestId);
  if (request.method !== 'GET' && request.method !== 'POST') return fail('not_found', `no route for ${request.method} ${url.pathname}`, 404, requestId);
  const edge = edgeOf(env);
  const adapter = edge.adapters[channel];
  if (!adapter) return fail('channel_not_configured', `the ${channel} channel is not configured at the edge`, 503, requestId);

  // The declared length is refused before the body is read whole; parse() checks the bytes read.
  if (Number(request.headers.get('content-length') ?? 0) > adapter.maxBodyBytes) return fail('body_too_large', `request body exceeds ${adapter.maxBodyBytes} bytes`, 413, requestId);
  const raw: RawRequest = {
    method: request.method,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(request.headers),
    body: request.method === 'POST' ? await request.text() : '',
  };
  const parsed = adapter.parse(raw, now, requestId);
  if (!parsed.ok) {
    log('info', 'callback refused', { requestId, channel, code: parsed.error.code });
    return fail(parsed.error.code, parsed.error.message, parsed.error.status, requestId);
  }
  if (parsed.kind === 'verify') return respond(parsed.response);

  const inbound: InboundMessage =
    parsed.kind === 'message' ? parsed.message : { channel, messageId: parsed.messageId, from: '', text: '', receivedAt: now, requestId };
  if (parsed.kind === 'ignored' && channel === 'wecom_aibot') {
    // The welcome and the note on an unreadable message need no state: answered here, within WeCom's 5 s.
    const local = (adapter as AiBotAdapter).statelessResponse(parsed.data as AiBotIgnored, now);
    if (local) return respond(local);
    const h = handoffOf(adapter, parsed, now);
    if (!h) return respond(EMPTY_ACK);
    // A refresh is a read and a feedback row is stored once at the origin: no dedupe, the origin's answer is WeCom's.
    const answered = await handOff(edge.config, h, requestId, started + edge.config.EDGE_ORIGIN_TIMEOUT_MS - Date.now(), true);
    if (typeof answered === 'object') return respond(answered);
    return fail('origin_unavailable', 'the origin did not answer in time; retry', 503, requestId);
  }
  const ack = respond(adapter.reply(null, inbound, now));
  const h = handoffOf(adapter, parsed, now);
  if (!h) return ack;

  // Every delivery of one message id meets in one Durable Object (dedupe.ts).
  const dedupe = dedupeClient(env.EDGE_DEDUPE);
  const key = `${channel}\n${h.messageId}`;
  const deadline = started + edge.config.EDGE_ORIGIN_TIMEOUT_MS;
  for (;;) {
    // The lease outlives the hand-off's own timeout, so only a Worker that died mid-way leaves one to expire.
    const claim = await dedupe.claim(key, edge.config.EDGE_ORIGIN_TIMEOUT_MS + 1000);
    if (claim.result === 'duplicate') {
      log('info', 'duplicate delivery: acked, not handed off again', { requestId, channel });
      return ack;
    }
    if (claim.result === 'claimed') {
      if (await handOff(edge.config, h, requestId, deadline - Date.now())) {
        await dedupe.done(key);
        return ack;
      }
      await dedupe.release(key, claim.token);
      return fail('origin_unavailable', 'the origin did not accept the message in time; retry', 503, requestId);
    }
    // Another delivery of this message is being handed off right now: its outcome decides
    // (acked when it succeeds; ours to hand off when it failed). Out of time: the platform retries.
    if (Date.now() + INFLIGHT_POLL_MS >= deadline) return fail('origin_unavailable', 'the message is still being handed to the origin; retry', 503, requestId);
    await new Promise((resolve) => setTimeout(resolve, INFLIGHT_POLL_MS));
  }
}

/**
 * The Worker's handlers. `platformClock` is the instant the platform's timestamps are checked
 * against (replay protection): the real clock in production; a test entry may fix it to replay
 * Tencent's published sample vectors (test/edge/). The hand-off is always signed with the real clock.
 */
export function edgeWorker(platformClock: (request: Request) => Date = () => new Date()) {
  return {
    async fetch(request: Request, env: EdgeEnv, _ctx: ExecutionContext): Promise<Response> {
      // A caller's id is kept only when it looks like one (the origin's request-id middleware applies the same rule).
      const given = request.headers.get('x-request-id');
      const requestId = given && /^[\w\-=]{1,255}$/.test(given) ? given : crypto.randomUUID();
      try {
        return await handle(request, env, requestId, platformClock(request));
      } catch (err) {
        if (isAppError(err)) {
          log(err.status >= 500 ? 'error' : 'info', err.message, { requestId, code: err.code });
          return fail(err.code, err.message, err.status, requestId);
        }
        // The body says nothing but the request id (as at the origin, src/http/errors.ts).
        log('error', 'unhandled error', { requestId, err: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        return fail('internal_error', 'internal error', 500, requestId);
      }
    },
  };
}

export default edgeWorker();
