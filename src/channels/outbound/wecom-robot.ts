/**
 * A WeCom group robot (群机器人) webhook, for staff alerts into a group chat:
 *
 *   POST /cgi-bin/webhook/send?key=<WECOM_ROBOT_KEY>  {msgtype: 'text', text: {content}}  → {errcode, errmsg}
 *
 * The webhook key names the group, so the message's `to` is not used. A robot takes 20 messages
 * a minute: 45009 / 130101 ("send too fast") and -1 are retryable, as are 5xx/429 and transport
 * errors; a timeout is in doubt (retryable); other errcodes (93000: invalid webhook key …) are
 * permanent. No idempotency key: not idempotent.
 */
import type { OutboundSender } from '../../crm/automation/index.ts';
import { AppError, isAppError } from '../../crm/kernel/index.ts';
import { callTencentApi } from '../shared/tencent-http.ts';
import { failureOf } from './result.ts';

const TRANSIENT: ReadonlySet<number> = new Set([-1, 45009, 130101]);

export interface RobotSenderOptions {
  /** WECOM_API_BASE (the webhook lives on the same host as the server API). */
  base: string;
  robotKey: string;
  timeoutMs?: number;
}

const robotTransportError = (api: string, reason: string, details?: Record<string, unknown>) => new AppError('robot_unreachable', `${api}: ${reason}`, { details: { api, ...details } });

export function createWeComRobotSender(opts: RobotSenderOptions): OutboundSender {
  const base = opts.base.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    name: 'robot',
    idempotent: false,
    async send(msg) {
      let reply: { errcode?: unknown; errmsg?: unknown };
      try {
        reply = await callTencentApi(base, 'webhook/send', { key: opts.robotKey }, { msgtype: 'text', text: { content: msg.text } }, timeoutMs, { transport: robotTransportError, httpErrorCode: 'robot_http_error' });
      } catch (e) {
        if (!isAppError(e)) throw e;
        return failureOf(e);
      }
      const errcode = Number(reply.errcode ?? 0);
      if (errcode === 0) return { status: 'sent' };
      const e = new AppError(TRANSIENT.has(errcode) ? 'robot_rate_limited' : 'robot_api_error', `webhook/send: ${String(reply.errmsg ?? '')} (${errcode})`);
      return { status: 'failed', code: e.code, message: e.message, retryable: e.retryable };
    },
  };
}
