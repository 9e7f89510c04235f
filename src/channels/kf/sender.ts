/**
 * Replies on 微信客服 (kf/send_msg) inside the window Tencent allows ("发送消息": only within 48
 * hours after the customer's last message, at most 5 messages; docs/wecom.md, protocol rules),
 * tracked by the reply window the mini-program uses (src/channels/shared/reply-window.ts). Outside
 * it, or while a person serves the customer, nothing is sent: the refusal is recorded (the
 * customer's last refusal in Redis, and the log) and the push fails with `kf_unreachable`, which the
 * outbound worker does not retry. WeCom's own 95001 / 95002 / 95018 close our window the same way.
 */
import { createHash } from 'node:crypto';
import { decideReply, type QuotaReason } from '../../crm/automation/index.ts';
import { AppError } from '../../crm/kernel/index.ts';
import type { Logger } from '../../logger.ts';
import type { Redis } from '../../redis.ts';
import type { ReplyWindow } from '../shared/reply-window.ts';
import { splitUtf8 } from '../wecom/split.ts';
import { kfAllowance } from './allowance.ts';
import { errcodeOf, KF_COUNT_LIMIT, KF_SESSION_STATE, KF_TIME_LIMIT, type KfApi } from './api.ts';
import type { KfSessions } from './session.ts';

/** kf/send_msg text.content: at most 2048 bytes (longer answers go as several messages, each counted). */
export const KF_TEXT_MAX_BYTES = 2048;

export type KfRefusal = 'no_session' | 'with_person' | 'outside_window' | 'window_exhausted' | 'time_limit' | 'count_limit' | 'session_state';

export interface KfRefusalRecord {
  reason: KfRefusal;
  /** The quota ledger's reason code when it was the ledger that said no (docs/journeys.md, quota ledger). */
  quota?: QuotaReason;
  at: number;
  openKfId?: string;
  errcode?: number;
}

export interface KfSenderDeps {
  api: KfApi;
  window: ReplyWindow;
  sessions: KfSessions;
  redis: Redis;
  logger: Logger;
  key: (...parts: (string | number)[]) => string;
  now: () => Date;
  /** After a reply went out or was refused (a hand-off's transfer waits for it: handoff.ts). */
  afterReply?: (openKfId: string, externalUserId: string) => Promise<void>;
}

const SENT_MARK_TTL_S = 24 * 3600;
const REFUSAL_TTL_S = 30 * 24 * 3600;

export interface KfSender {
  /** Sends a text to the customer on the kf account they last wrote to; throws `kf_unreachable` when refused. */
  send(externalUserId: string, text: string, requestId?: string): Promise<void>;
  /** The customer's last refusal, if any (what was recorded instead of sending). */
  lastRefusal(externalUserId: string): Promise<KfRefusalRecord | undefined>;
}

export function createKfSender(d: KfSenderDeps): KfSender {
  const { api, window, sessions, redis, logger, key, now } = d;
  const allowances = { wecom_kf: kfAllowance(window) };

  async function refuse(u: string, reason: KfRefusal, openKfId?: string, errcode?: number, quota?: QuotaReason): Promise<never> {
    if (openKfId) await d.afterReply?.(openKfId, u);
    const rec: KfRefusalRecord = { reason, at: now().getTime(), ...(openKfId ? { openKfId } : {}), ...(errcode ? { errcode } : {}), ...(quota ? { quota } : {}) };
    await redis.set(key('kf', 'refused', u), JSON.stringify(rec), 'EX', REFUSAL_TTL_S);
    logger.info({ externalUserId: u, reason, errcode, quota }, '微信客服: reply refused (recorded, not sent)');
    throw new AppError('kf_unreachable', `kf/send_msg not allowed now: ${reason}`, { details: rec });
  }

  return {
    async send(u, text, requestId) {
      const openKfId = await sessions.route(u);
      if (!openKfId) return refuse(u, 'no_session');
      if (await sessions.withPerson(openKfId, u)) return refuse(u, 'with_person', openKfId);
      const chunks = splitUtf8(text, KF_TEXT_MAX_BYTES);
      // A retry of the same push resumes after the chunks already delivered (and already counted).
      const markBase = requestId ? key('kf', 'sent', createHash('sha256').update(`${requestId}\n${u}\n${text}`).digest('hex').slice(0, 32)) : undefined;
      for (const [i, content] of chunks.entries()) {
        const mark = markBase && `${markBase}:${i}`;
        if (mark && (await redis.exists(mark))) continue;
        // The quota ledger answers, with 微信客服's window behind its allowance port.
        const q = await decideReply(allowances, { channel: 'wecom_kf', who: u, now: now() });
        if (q.decision !== 'sent') return refuse(u, q.reason === 'kf_window_closed' ? 'outside_window' : 'window_exhausted', openKfId, undefined, q.reason);
        try {
          await api.sendText(openKfId, u, content);
        } catch (e) {
          const errcode = errcodeOf(e);
          // WeCom's count is the truth: align ours and stop (a retry would only be refused again).
          if (errcode === KF_TIME_LIMIT || errcode === KF_COUNT_LIMIT) {
            await window.close(u, errcode === KF_TIME_LIMIT ? 'expired' : 'exhausted');
            return refuse(u, errcode === KF_TIME_LIMIT ? 'time_limit' : 'count_limit', openKfId, errcode);
          }
          await window.giveBack(u);
          if (errcode === KF_SESSION_STATE) {
            await sessions.setWithPerson(openKfId, u, true);
            return refuse(u, 'session_state', openKfId, errcode);
          }
          throw e;
        }
        if (mark) await redis.set(mark, '1', 'EX', SENT_MARK_TTL_S);
        await sessions.note(openKfId, u, { at: now().getTime(), who: 'bot', text: content });
      }
      await d.afterReply?.(openKfId, u);
    },
    async lastRefusal(u) {
      const raw = await redis.get(key('kf', 'refused', u));
      return raw ? (JSON.parse(raw) as KfRefusalRecord) : undefined;
    },
  };
}
