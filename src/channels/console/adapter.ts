import { z } from 'zod';
import { AppError, badRequest, unauthorized } from '../../crm/kernel/index.ts';
import type { ChannelAdapter, ParseResult } from '../types.ts';

/**
 * Stable contract (docs/api.md): `POST /console/messages` body `{ text }` (+ optional id for
 * idempotent resends) from a signed-in session; `from` names the sender only in development
 * without a session (docs/guides/administrator.md, "Signing in to the console").
 */
export const consoleRequestSchema = z.object({
  from: z.string().trim().max(64).optional(),
  text: z.string().trim().min(1, 'text is required').max(2000, 'text is limited to 2000 characters'),
  /** Optional client message id: a resend with the same id is answered once (409 after that). */
  id: z.string().trim().min(1).max(64).optional(),
});

/** Stable contract (docs/api.md): the reply body reports the routing verdict beside the answer. */
export const consoleReplySchema = z.object({
  reply: z.string(),
  intent: z.string(),
  slots: z.record(z.string(), z.unknown()),
  confidence: z.number().min(0).max(1),
  /** What the turn did (answered, asked, held, done, declined); absent only where the pipeline did not say. */
  outcome: z.enum(['answered', 'asked', 'held', 'done', 'declined']).optional(),
  /** Optional: a chart (the health dashboard's trend) as a data: URL, shown inline by the web chat. */
  image: z.object({ dataUrl: z.string().startsWith('data:image/png;base64,'), alt: z.string() }).optional(),
});
export type ConsoleReply = z.infer<typeof consoleReplySchema>;

/**
 * The console's message id is the client's (its `id`, else its `x-request-id`), so it is only
 * unique per sender: the dedupe key carries the sender, length-prefixed so no `from` and id pair
 * can spell another's (docs/api.md).
 */
export const senderScopedId = (from: string, id: string): string => `${from.length}:${from}:${id}`;

const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });

export interface ConsoleAdapterOptions {
  /**
   * Whether a request without an authenticated identity may name its sender in the body (`from`):
   * true in development (try the bot as anyone, on loopback), false in production, where the
   * sender is only ever the session's or the token's and a body `from` is ignored.
   */
  bodyFrom: boolean;
}

/** The console channel: try the bot with no WeCom at all. Synchronous, so no reply budget and no push. */
export function createConsoleAdapter(opts: ConsoleAdapterOptions = { bodyFrom: true }): ChannelAdapter {
  return {
    channel: 'console',
    maxBodyBytes: 16 * 1024,
    parse(req, now, requestId): ParseResult {
      let body: unknown;
      try {
        body = JSON.parse(req.body);
      } catch {
        return { ok: false, error: badRequest('invalid_json', 'body must be JSON: {"from": "...", "text": "..."}') };
      }
      const parsed = consoleRequestSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return { ok: false, error: badRequest('invalid_request', `${issue.path.join('.') || 'body'}: ${issue.message}`, parsed.error.issues) };
      }
      const { text, id } = parsed.data;
      // The signed-in identity wins over the body: the body names a sender only in development.
      const from = req.identity ?? (opts.bodyFrom ? parsed.data.from : undefined);
      if (!from) {
        return opts.bodyFrom
          ? { ok: false, error: badRequest('invalid_request', 'from: from is required: a staff WeCom userid or member:<phone>') }
          : { ok: false, error: unauthorized('unauthorized', 'sign in first: POST /auth/token with an API token, or GET /auth/wecom (WeCom login)') };
      }
      return { ok: true, kind: 'message', message: { channel: 'console', messageId: senderScopedId(from, id ?? requestId), from, text, receivedAt: now, requestId } };
    },
    reply(answer, inbound) {
      if (!answer) {
        // A reply, not a throw (the adapter answers the resend), in the edge's error body.
        const id = inbound.messageId.slice(senderScopedId(inbound.from, '').length);
        const e = new AppError('duplicate_message', `message ${id} from ${inbound.from} was already answered`);
        return json(e.status, { error: { code: e.code, message: e.message, requestId: inbound.requestId } });
      }
      const body: ConsoleReply = { reply: answer.text, intent: answer.intent, slots: answer.slots, confidence: answer.confidence, ...(answer.outcome ? { outcome: answer.outcome } : {}) };
      if (answer.image) body.image = { dataUrl: `data:image/png;base64,${answer.image.png.toString('base64')}`, alt: answer.image.alt };
      return json(200, body);
    },
  };
}
