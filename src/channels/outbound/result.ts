/** From a channel client's AppError to an outbound send result (shared by the Tencent senders). */
import type { SendResult } from '../../crm/automation/index.ts';
import type { AppError } from '../../crm/kernel/index.ts';

/** The platform's errcode of a refused call, when the error carries one. */
export function errcodeOf(e: AppError): number | undefined {
  const errcode = (e.details as { errcode?: unknown } | undefined)?.errcode;
  return typeof errcode === 'number' ? errcode : undefined;
}

/** True when the request went out but no answer came back in time (tencent-http's `timeout`). */
export function timedOut(e: AppError): boolean {
  return (e.details as { timeout?: unknown } | undefined)?.timeout === true;
}

/**
 * A failed send: `in_doubt` after a timeout, else `failed`, with the client's registered error
 * code (`wecom_rate_limited`, docs/errors.md); the platform's errcode is in the message.
 */
export function failureOf(e: AppError): SendResult {
  return { status: timedOut(e) ? 'in_doubt' : 'failed', code: e.code, message: e.message, retryable: e.retryable };
}
