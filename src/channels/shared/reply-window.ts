/**
 * The reply window of each customer, kept in Redis for every process: one piece of code for the
 * two platforms whose replies need the customer to have acted first (docs/wecom.md, protocol rules).
 *
 * - Mini-program customerServiceMessage.send ("客服消息下发条件"): a message from the member
 *   opens 48 hours and 5 messages; entering the customer-service session (user_enter_tempsession)
 *   opens 1 minute and 2 messages. Outside the window WeChat answers 45015 / 45047.
 * - 微信客服 kf/send_msg ("发送消息": 用户主动发送消息给客服后的48小时内，最多可发送5条): a
 *   customer message opens 48 hours and 5 messages; each further message opens them again.
 *   Outside the window WeCom answers 95002 / 95001.
 *
 * Windows do not add up: a new action raises the count and the deadline to the larger of old and
 * new. One customer message opens the window once however often it reaches us (`onceFor`: the
 * platform's message id — WeChat retries an unanswered push, sync_msg re-reads a page after a
 * crash), since the platform counts it once too. We check first and never call in vain. Decisions use the injected clock (the `now`
 * arguments), never Redis time. The key function names the platform (and the customer).
 */
import type { Redis } from '../../redis.ts';

export const MESSAGE_WINDOW = { ms: 48 * 3600_000, messages: 5 } as const;
export const SESSION_WINDOW = { ms: 60_000, messages: 2 } as const;

export type WindowCheck = { ok: true; remaining: number } | { ok: false; reason: 'outside_window' | 'window_exhausted' };

export interface ReplyWindowState {
  /** Unix ms until which messages may be sent. */
  until: number;
  /** Messages still allowed in this window. */
  left: number;
  /** Unix ms of the member's last message to us (0 when only a session event was seen). */
  lastInbound: number;
}

export interface ReplyWindow {
  /**
   * Records a customer action that opens (or extends) the window (`session`: the mini-program's
   * session event). With `onceFor` (the message's platform id) a message seen before opens
   * nothing: false then, true when this call opened the window.
   */
  open(openid: string, now: Date, kind: 'message' | 'session', onceFor?: string): Promise<boolean>;
  /** Atomically takes one message from the window, or says why not. */
  take(openid: string, now: Date): Promise<WindowCheck>;
  /** Gives a taken message back (the send failed before WeChat counted it). */
  giveBack(openid: string): Promise<void>;
  /** WeChat said 45015 / 45047: the window is over or used up whatever we thought. */
  close(openid: string, how: 'expired' | 'exhausted'): Promise<void>;
  state(openid: string): Promise<ReplyWindowState | undefined>;
}

// KEYS[1] window hash; ARGV: now, until, messages, isMessage(1/0), ttlMs
const OPEN = `
local now = tonumber(ARGV[1])
local untilNew = tonumber(ARGV[2])
local leftNew = tonumber(ARGV[3])
local u = tonumber(redis.call('hget', KEYS[1], 'until') or '0')
local l = tonumber(redis.call('hget', KEYS[1], 'left') or '0')
if u <= now then u = 0; l = 0 end
if untilNew > u then u = untilNew end
if leftNew > l then l = leftNew end
redis.call('hset', KEYS[1], 'until', u, 'left', l)
if ARGV[4] == '1' then redis.call('hset', KEYS[1], 'lastInbound', now) end
redis.call('pexpire', KEYS[1], math.max(u - now, 0) + tonumber(ARGV[5]))
return l`;

// KEYS[1] window hash; ARGV: now → remaining after taking one, -1 outside, -2 exhausted
const TAKE = `
local u = tonumber(redis.call('hget', KEYS[1], 'until') or '0')
if u <= tonumber(ARGV[1]) then return -1 end
local l = tonumber(redis.call('hget', KEYS[1], 'left') or '0')
if l <= 0 then return -2 end
return redis.call('hincrby', KEYS[1], 'left', -1)`;

const GIVE_BACK = `if redis.call('exists', KEYS[1]) == 1 then return redis.call('hincrby', KEYS[1], 'left', 1) end return 0`;

/** Kept past the window's end so lastInbound stays readable for a while (reachability previews). */
const KEEP_AFTER_MS = 7 * 24 * 3600_000;
/** How long a message id that opened a window is remembered: sync_msg returns 3 days, WeChat retries within seconds. */
const ONCE_TTL_MS = 4 * 24 * 3600_000;

export function createReplyWindow(redis: Redis, keyOf: (openid: string) => string): ReplyWindow {
  return {
    async open(openid, now, kind, onceFor) {
      const w = kind === 'message' ? MESSAGE_WINDOW : SESSION_WINDOW;
      const t = now.getTime();
      // The mark is its own key (one key per command: no cross-slot script on a cluster).
      const once = onceFor ? `${keyOf(openid)}:once:${onceFor}` : undefined;
      if (once && (await redis.set(once, '1', 'PX', ONCE_TTL_MS, 'NX')) !== 'OK') return false;
      try {
        await redis.eval(OPEN, 1, keyOf(openid), t, t + w.ms, w.messages, kind === 'message' ? '1' : '0', KEEP_AFTER_MS);
      } catch (e) {
        if (once) await redis.del(once).catch(() => undefined); // so the retry opens it
        throw e;
      }
      return true;
    },
    async take(openid, now) {
      const r = Number(await redis.eval(TAKE, 1, keyOf(openid), now.getTime()));
      if (r === -1) return { ok: false, reason: 'outside_window' };
      if (r === -2) return { ok: false, reason: 'window_exhausted' };
      return { ok: true, remaining: r };
    },
    async giveBack(openid) {
      await redis.eval(GIVE_BACK, 1, keyOf(openid));
    },
    async close(openid, how) {
      if (how === 'expired') await redis.hset(keyOf(openid), 'until', 0, 'left', 0);
      else await redis.hset(keyOf(openid), 'left', 0);
      await redis.pexpire(keyOf(openid), KEEP_AFTER_MS);
    },
    async state(openid) {
      const h = await redis.hgetall(keyOf(openid));
      if (!h.until) return undefined;
      return { until: Number(h.until), left: Number(h.left ?? 0), lastInbound: Number(h.lastInbound ?? 0) };
    },
  };
}
