/**
 * Sending to members on the mini-program, with the platform's rules enforced before WeChat has
 * to refuse (docs/wecom.md, protocol rules):
 * - customerServiceMessage.send only inside the reply window the member opened (48 h / 5
 *   messages after their message); outside it we do not call at all and record the member as
 *   unreachable. 45015 / 45047 from WeChat close our window too: recorded, never retried.
 * - subscribeMessage.send only with an accepted one-time subscription, spent atomically before the
 *   call; 43101 zeroes our count (WeChat disagrees), other refusals give it back.
 * Both return typed results: the journey engine falls back to the member's next channel on
 * anything but `sent`; only transport trouble is marked retryable.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../logger.ts';
import type { Redis } from '../../redis.ts';
import { isAppError, type ErrorCode } from '../../crm/kernel/index.ts';
import { splitUtf8 } from '../wecom/split.ts';
import type { MpApiClient } from './api-client.ts';
import { REPLY_COUNT_LIMIT, REPLY_TIME_LIMIT, SUBSCRIPTION_REFUSED, mpApiError } from './api-errors.ts';
import type { ReplyWindow } from '../shared/reply-window.ts';
import { renderSubscribeData, type RenderIssue, type SubscribeValue } from './subscribe-render.ts';
import type { SubscriptionStore } from './subscriptions.ts';

/** customerServiceMessage text is cut by WeChat past 2048 bytes, like WeCom's: split instead. */
export const MP_TEXT_MAX_BYTES = 2048;

export type UnreachableReason = 'outside_window' | 'window_exhausted' | 'reply_time_limit' | 'reply_count_limit';

export type CustomerSendResult =
  | { status: 'sent'; chunks: number; sent: number }
  | { status: 'unreachable'; reason: UnreachableReason; errcode?: number; sentChunks: number }
  | { status: 'failed'; code: ErrorCode; message: string; retryable: boolean; errcode?: number; sentChunks: number };

export type SubscribeSendResult =
  | { status: 'sent'; remaining: number }
  | { status: 'no_subscription' } // nothing accepted (or all spent): never called WeChat
  | { status: 'refused'; errcode: typeof SUBSCRIPTION_REFUSED } // WeChat said 43101: quota zeroed
  | { status: 'invalid_data'; issues: RenderIssue[] } // the renderer refused; no subscription spent
  // timeout: the request went out but no answer came back (WeChat may have sent it).
  | { status: 'failed'; code: ErrorCode; message: string; retryable: boolean; errcode?: number; timeout?: boolean };

export interface SubscribeRequest {
  openid: string;
  templateId: string;
  /** Template fields by key (`thing1`, `date2` …), rendered under WeChat's length rules. */
  data: Record<string, SubscribeValue>;
  /** Mini-program page opened from the card, e.g. `pages/points/index?from=journey`. */
  page?: string;
  /** developer | trial | formal (default formal). */
  miniprogramState?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

export interface UnreachableRecord {
  reason: UnreachableReason;
  at: number;
  errcode?: number;
}

/** Whether, and how, a member can be reached on the mini-program right now (recall previews). */
export interface MpReachability {
  /** customerServiceMessage.send would be attempted (inside the window, messages left). */
  customerService: boolean;
  /** Messages left in the current window and when it closes (absent when closed). */
  windowLeft: number;
  windowUntil?: Date;
  /** Remaining one-time subscriptions per template id (only templates with quota left). */
  subscriptions: Record<string, number>;
}

export interface MpMessenger {
  /** Reachability for previews; a snapshot, not a reservation. */
  reachability(openid: string): Promise<MpReachability>;
  sendCustomerText(openid: string, text: string, requestId?: string): Promise<CustomerSendResult>;
  sendSubscribe(req: SubscribeRequest): Promise<SubscribeSendResult>;
  /** The last time a customer-service send found the member unreachable (and why), if any. */
  lastUnreachable(openid: string): Promise<UnreachableRecord | undefined>;
}

export interface MessengerDeps {
  api: MpApiClient;
  window: ReplyWindow;
  subscriptions: SubscriptionStore;
  redis: Redis;
  logger: Logger;
  key: (...parts: (string | number)[]) => string;
  now: () => Date;
}

const SENT_MARK_TTL_S = 24 * 3600;
const UNREACHABLE_TTL_S = 30 * 24 * 3600;

export function createMessenger(d: MessengerDeps): MpMessenger {
  const { api, window, subscriptions, redis, logger, key, now } = d;

  async function recordUnreachable(openid: string, reason: UnreachableReason, errcode?: number): Promise<void> {
    const rec: UnreachableRecord = { reason, at: now().getTime(), ...(errcode ? { errcode } : {}) };
    await redis.set(key('mp', 'unreachable', openid), JSON.stringify(rec), 'EX', UNREACHABLE_TTL_S);
    logger.info({ openid, reason, errcode }, 'mini-program member unreachable by customer-service message');
  }

  return {
    async reachability(openid) {
      const [w, subs] = await Promise.all([window.state(openid), subscriptions.list(openid)]);
      const open = w !== undefined && w.until > now().getTime() && w.left > 0;
      return {
        customerService: open,
        windowLeft: open ? w.left : 0,
        ...(open ? { windowUntil: new Date(w.until) } : {}),
        subscriptions: Object.fromEntries(subs.filter((r) => r.remaining > 0).map((r) => [r.templateId, r.remaining])),
      };
    },

    async sendCustomerText(openid, text, requestId) {
      const chunks = splitUtf8(text, MP_TEXT_MAX_BYTES);
      if (chunks.length === 0) return { status: 'failed', code: 'mp_empty_text', message: 'empty text', retryable: false, sentChunks: 0 };
      // A BullMQ retry after a partial failure resumes after the chunks already delivered.
      const markBase = requestId ? key('mp', 'sent', createHash('sha256').update(`${requestId}\n${openid}\n${text}`).digest('hex').slice(0, 32)) : undefined;
      let sent = 0;
      for (const [i, content] of chunks.entries()) {
        const mark = markBase && `${markBase}:${i}`;
        if (mark && (await redis.exists(mark))) continue;
        const slot = await window.take(openid, now());
        if (!slot.ok) {
          await recordUnreachable(openid, slot.reason);
          return { status: 'unreachable', reason: slot.reason, sentChunks: sent };
        }
        let reply;
        try {
          reply = await api.post('message/custom/send', { touser: openid, msgtype: 'text', text: { content } });
        } catch (e) {
          await window.giveBack(openid);
          if (!isAppError(e)) throw e;
          return { status: 'failed', code: e.code, message: e.message, retryable: e.retryable, sentChunks: sent };
        }
        if (reply.errcode === REPLY_TIME_LIMIT || reply.errcode === REPLY_COUNT_LIMIT) {
          // WeChat's count is the truth: align ours and stop; retrying would only hit the limit again.
          const expired = reply.errcode === REPLY_TIME_LIMIT;
          await window.close(openid, expired ? 'expired' : 'exhausted');
          await recordUnreachable(openid, expired ? 'reply_time_limit' : 'reply_count_limit', reply.errcode);
          return { status: 'unreachable', reason: expired ? 'reply_time_limit' : 'reply_count_limit', errcode: reply.errcode, sentChunks: sent };
        }
        if (reply.errcode !== 0) {
          await window.giveBack(openid);
          const err = mpApiError('message/custom/send', reply.errcode, reply.errmsg);
          return { status: 'failed', code: err.code, message: err.message, retryable: err.retryable, errcode: reply.errcode, sentChunks: sent };
        }
        if (mark) await redis.set(mark, '1', 'EX', SENT_MARK_TTL_S);
        sent++;
      }
      return { status: 'sent', chunks: chunks.length, sent };
    },

    async sendSubscribe(req) {
      const rendered = renderSubscribeData(req.data);
      if (!rendered.ok) return { status: 'invalid_data', issues: rendered.issues };
      const at = now();
      if (!(await subscriptions.consume(req.openid, req.templateId, at))) return { status: 'no_subscription' };
      const body = {
        touser: req.openid,
        template_id: req.templateId,
        ...(req.page ? { page: req.page } : {}),
        data: rendered.data,
        miniprogram_state: req.miniprogramState ?? 'formal',
        lang: req.lang ?? 'zh_CN',
      };
      let reply;
      try {
        reply = await api.post('message/subscribe/send', body);
      } catch (e) {
        // Not known to be delivered: give the subscription back; if WeChat did count it, the retry gets 43101 and we zero.
        await subscriptions.refund(req.openid, req.templateId, now());
        if (!isAppError(e)) throw e;
        const timeout = (e.details as { timeout?: unknown } | undefined)?.timeout === true;
        return { status: 'failed', code: e.code, message: e.message, retryable: e.retryable, ...(timeout ? { timeout } : {}) };
      }
      if (reply.errcode === SUBSCRIPTION_REFUSED) {
        await subscriptions.zero(req.openid, req.templateId, now());
        logger.info({ openid: req.openid, templateId: req.templateId }, 'subscribeMessage.send 43101: WeChat has no subscription left for this member; quota zeroed');
        return { status: 'refused', errcode: SUBSCRIPTION_REFUSED };
      }
      if (reply.errcode !== 0) {
        await subscriptions.refund(req.openid, req.templateId, now());
        const err = mpApiError('message/subscribe/send', reply.errcode, reply.errmsg);
        return { status: 'failed', code: err.code, message: err.message, retryable: err.retryable, errcode: reply.errcode };
      }
      const row = await subscriptions.get(req.openid, req.templateId);
      return { status: 'sent', remaining: row?.remaining ?? 0 };
    },

    async lastUnreachable(openid) {
      const raw = await redis.get(key('mp', 'unreachable', openid));
      return raw ? (JSON.parse(raw) as UnreachableRecord) : undefined;
    },
  };
}
