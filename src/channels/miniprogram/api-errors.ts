/**
 * api.weixin.qq.com error codes the mini-program channel meets (customerServiceMessage.send,
 * subscribeMessage.send, getAccessToken), mapped to AppErrors with a retryable flag
 * (docs/architecture.md, conventions). The codes that mean "this member cannot be reached right now" are not
 * errors of ours: the messenger turns them into typed results instead of retries.
 */
import { AppError } from '../../crm/kernel/index.ts';

/** The access token is invalid or expired: drop it, fetch a new one, retry once (docs/wecom.md, protocol rules). */
export const MP_TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/** 45015: the 48-hour customer-service reply window has passed ("回复时间超过限制"). */
export const REPLY_TIME_LIMIT = 45015;
/** 45047: the customer-service message count of the current window is used up ("客服接口下行条数超过上限"). */
export const REPLY_COUNT_LIMIT = 45047;
/** 43101: the member has no (more) accepted subscription for this template ("用户拒绝接受消息"). */
export const SUBSCRIPTION_REFUSED = 43101;
/** 40164 / 61004: this server's IP is not in the app's IP whitelist (getAccessToken). */
export const IP_NOT_WHITELISTED: ReadonlySet<number> = new Set([40164, 61004]);

const TRANSIENT: Record<number, string> = {
  [-1]: 'WeChat system busy',
  45009: 'API daily call quota or frequency exceeded',
  45011: 'API call too frequent',
};

const PERMANENT: Record<number, string> = {
  40003: 'invalid openid (not a user of this mini-program)',
  40013: 'invalid appid (MP_APP_ID)',
  40125: 'invalid appsecret (MP_APP_SECRET)',
  40037: 'invalid template_id',
  41030: 'invalid page (not a published page of the mini-program)',
  44002: 'empty post data',
  47001: 'data format error',
  47003: 'template data does not match the template fields (argument invalid)',
  40164: "server IP not in the mini-program's IP whitelist (开发管理 → 开发设置 → IP白名单)",
  61004: "server IP not in the mini-program's IP whitelist",
};

/** The AppError for a non-zero errcode of `api` (e.g. "message/custom/send"). */
export function mpApiError(api: string, errcode: number, errmsg: string): AppError {
  const details = { api, errcode, errmsg };
  if (MP_TOKEN_ERRCODES.has(errcode)) return new AppError('mp_token_invalid', `${api}: access token rejected (${errcode})`, { details });
  const transient = TRANSIENT[errcode];
  if (transient) return new AppError(errcode === -1 ? 'mp_busy' : 'mp_rate_limited', `${api}: ${transient} (${errcode})`, { details });
  // Unknown codes are permanent: a blind retry would burn the member's 5-message window or a one-time subscription.
  return new AppError('mp_api_error', `${api}: ${PERMANENT[errcode] ?? errmsg} (${errcode})`, { details });
}

/** Network failures, timeouts, 5xx and unreadable bodies are transient. */
export function mpTransportError(api: string, reason: string, details?: Record<string, unknown>): AppError {
  return new AppError('mp_unreachable_api', `${api}: ${reason}`, { details: { api, ...details } });
}
