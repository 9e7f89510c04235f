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
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { OutboundSender } from '../../crm/automation/index.ts';

/** Registered codes per gateway (docs/errors.md): transport or 408/429/5xx, and other 4xx. */
const CODES = {
  sms: { unreachable: 'sms_unreachable', refused: 'sms_http_error' },
  email: { unreachable: 'email_unreachable', refused: 'email_http_error' },
} as const;

/** The gateway's answer: its HTTP status and body. */
interface Answer {
  status: number;
  body: string;
}

class NoAnswer extends Error {
  override name = 'TimeoutError';
}

/**
 * One POST over a kept-alive connection of `agent` (node:http: a journey batch sends thousands of
 * these a second, and fetch's per-request cost — WHATWG streams, an AbortSignal each — showed
 * in the profile). Rejects with NoAnswer when no complete answer came within `timeoutMs`.
 */
function post(url: URL, agent: HttpAgent, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(payload.length) } }, (res: IncomingMessage) => {
      const parts: Buffer[] = [];
      res.on('data', (p: Buffer) => parts.push(p));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const timer = setTimeout(() => req.destroy(new NoAnswer(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(payload);
  });
}

export function createHttpTextSender(name: keyof typeof CODES, url: string, timeoutMs = 10_000): OutboundSender {
  const codes = CODES[name];
  const target = new URL(url);
  // Connections kept open between sends (one per message in flight, JOURNEY_CONCURRENCY).
  const agent = target.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  return {
    name,
    idempotent: true,
    // One request, bounded by its timeout: an attempt older than that is no longer in flight.
    inFlightMs: timeoutMs,
    async send(msg) {
      let res: Answer;
      try {
        res = await post(target, agent, { 'content-type': 'application/json', 'idempotency-key': msg.key }, JSON.stringify({ to: msg.to, text: msg.text, ...(msg.subject ? { subject: msg.subject } : {}), ref: msg.key }), timeoutMs);
      } catch (e) {
        const err = e as Error;
        if (err instanceof NoAnswer) return { status: 'in_doubt', code: codes.unreachable, message: `${name} provider: no answer within ${timeoutMs} ms`, retryable: true };
        return { status: 'failed', code: codes.unreachable, message: err.message, retryable: true };
      }
      let body: { id?: unknown; error?: unknown } = {};
      try {
        body = JSON.parse(res.body) as typeof body;
      } catch {
        // not JSON: no id, no error text
      }
      if (res.status >= 200 && res.status < 300) return { status: 'sent', providerId: body?.id == null ? undefined : String(body.id) };
      const message = `${name} provider: HTTP ${res.status}${body?.error ? ` ${String(body.error)}` : ''}`;
      if ([404, 410, 422].includes(res.status)) return { status: 'unreachable', reason: message };
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      return { status: 'failed', code: retryable ? codes.unreachable : codes.refused, message, retryable };
    },
  };
}
