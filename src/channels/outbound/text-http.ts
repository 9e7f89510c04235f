/**
 * SMS and e-mail gateways: one JSON-over-HTTP adapter, configured per channel
 * (SMS_PROVIDER_URL, EMAIL_PROVIDER_URL). The wire contract (docs/journeys.md):
 *
 *   POST <url>  Idempotency-Key: <step key>  {to, text, subject?, ref}
 *   2xx → sent (`id` of the body is the provider's message id)
 *   404/410/422 → unreachable (the address is bad or unsubscribed)
 *   408/429/5xx, network errors → retryable failure; no answer in time → in doubt, retryable
 *   other 4xx → permanent failure
 *
 * The provider collapses a resend with the same Idempotency-Key, so a step resent after a crash
 * in the send window is delivered once: the sender is idempotent.
 */
import type { OutboundSender } from '../../crm/automation/index.ts';

/** Registered codes per gateway (docs/errors.md): transport or 408/429/5xx, and other 4xx. */
const CODES = {
  sms: { unreachable: 'sms_unreachable', refused: 'sms_http_error' },
  email: { unreachable: 'email_unreachable', refused: 'email_http_error' },
} as const;

export function createHttpTextSender(name: keyof typeof CODES, url: string, timeoutMs = 10_000): OutboundSender {
  const codes = CODES[name];
  return {
    name,
    idempotent: true,
    async send(msg) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': msg.key },
          body: JSON.stringify({ to: msg.to, text: msg.text, ...(msg.subject ? { subject: msg.subject } : {}), ref: msg.key }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const err = e as Error;
        if (err.name === 'TimeoutError') return { status: 'in_doubt', code: codes.unreachable, message: `${name} provider: no answer within ${timeoutMs} ms`, retryable: true };
        return { status: 'failed', code: codes.unreachable, message: err.message, retryable: true };
      }
      const body = (await res.json().catch(() => ({}))) as { id?: unknown; error?: unknown };
      if (res.ok) return { status: 'sent', providerId: body.id == null ? undefined : String(body.id) };
      const message = `${name} provider: HTTP ${res.status}${body.error ? ` ${String(body.error)}` : ''}`;
      if ([404, 410, 422].includes(res.status)) return { status: 'unreachable', reason: message };
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      return { status: 'failed', code: retryable ? codes.unreachable : codes.refused, message, retryable };
    },
  };
}
