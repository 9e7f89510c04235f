/**
 * WeCom server API error codes (https://developer.work.weixin.qq.com/document/path/90313) mapped
 * to AppErrors with a retryable flag: the outbound BullMQ job retries with backoff on retryable
 * ones and gives up on the rest (docs/architecture.md, conventions).
 */
import { AppError } from '../../crm/kernel/index.ts';

/** The access token is invalid or expired: drop it, fetch a new one, retry once (docs/wecom.md, protocol rules). */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([
  40001, // invalid credential / secret (sent for stale tokens too)
  40014, // invalid access_token
  42001, // access_token expired
]);

/** 60020: the calling server's IP is not among the app's trusted IPs ("企业可信IP"). */
export const IP_NOT_TRUSTED = 60020;

export const IP_NOT_TRUSTED_EXPLANATION =
  "WeCom refused the call with 60020: this server's public IP is not among the app's trusted IPs (企业可信IP). " +
  'In the WeCom admin console open the app → 企业可信IP and add this server’s egress IP, or point WECOM_API_BASE ' +
  'at a forwarding proxy that runs on a trusted IP. Passive replies on the callback keep working meanwhile.';

/** Errors that pass on a later try (limits and WeCom's "system busy"). */
const TRANSIENT: Record<number, string> = {
  [-1]: 'WeCom system busy',
  45009: 'API call frequency exceeds the limit', // 接口调用超过限制
  45033: 'API concurrency exceeds the limit', // 接口并发调用超过限制
};

/** Errors whose retry would fail the same way, with a hint for the operator. */
const PERMANENT: Record<number, string> = {
  40013: 'invalid corp id (WECOM_CORP_ID)',
  40056: 'invalid agent id (WECOM_AGENT_ID)',
  40091: 'invalid secret (WECOM_SECRET)',
  [IP_NOT_TRUSTED]: "server IP not in the app's trusted IPs",
  60011: 'the app has no permission for this recipient (visibility scope)',
  81013: 'recipient user id is invalid or outside the app’s visibility scope',
  44004: 'empty message content',
  // 客户联系 (externalcontact/*)
  40068: 'invalid corp tag id',
  40096: 'invalid external userid',
  40097: 'the handover member has not resigned (use transfer_customer)',
  40098: 'the takeover member is not verified',
  40099: 'the takeover member has reached the customer limit',
  40100: 'the customer is already being transferred',
  40128: 'customer transferred too often (twice per 90 days)',
  40129: 'the customer is being transferred',
  84061: 'not an external contact of this member',
  45002: 'message content too long',
};

/** The AppError for a non-zero errcode of `api` (e.g. "message/send"). */
export function weComApiError(api: string, errcode: number, errmsg: string): AppError {
  const details = { api, errcode, errmsg };
  if (TOKEN_ERRCODES.has(errcode)) return new AppError('wecom_token_invalid', `${api}: access token rejected (${errcode})`, { details });
  if (errcode === IP_NOT_TRUSTED) return new AppError('wecom_ip_not_trusted', `${api}: ${IP_NOT_TRUSTED_EXPLANATION}`, { details });
  const transient = TRANSIENT[errcode];
  if (transient) return new AppError(errcode === 45009 ? 'wecom_rate_limited' : 'wecom_busy', `${api}: ${transient} (${errcode})`, { details });
  const permanent = PERMANENT[errcode];
  // Unknown codes are treated as permanent: retrying a request WeCom refused for a reason we do
  // not understand would only burn the per-recipient quota (30/min, 1000/h) and the app's daily cap.
  return new AppError('wecom_api_error', `${api}: ${permanent ?? errmsg} (${errcode})`, { details });
}

/** Network failures, timeouts, 5xx and unreadable bodies are transient. */
export function weComTransportError(api: string, reason: string, details?: Record<string, unknown>): AppError {
  return new AppError('wecom_unreachable', `${api}: ${reason}`, { details: { api, ...details } });
}
