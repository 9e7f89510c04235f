/**
 * The hand-off from the Cloudflare Workers edge (src/edge/worker.ts) to the origin
 * (POST /edge/handoff/:channel, src/http/edge-handoff.ts): the message the edge has verified and
 * decrypted, as signed JSON. One module for both sides, so the two can never disagree on the
 * format or the signature (docs/deployment.md, "Edge (Cloudflare Workers)").
 *
 * Signature: `v1=` + hex HMAC-SHA256(secret, `${timestamp}.${body}`), timestamp in unix seconds,
 * in the headers below. The origin refuses a timestamp more than EDGE_HANDOFF_MAX_SKEW_S away
 * (a captured hand-off cannot be replayed later; within the window a replay is the same message
 * id, which the durable inbox answers once). Pure functions with an injected clock; node:crypto
 * is available in Workers under the `nodejs_compat` flag.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError, channelSchema } from '../crm/kernel/index.ts';

export const HANDOFF_TIMESTAMP_HEADER = 'x-edge-timestamp';
export const HANDOFF_SIGNATURE_HEADER = 'x-edge-signature';
/** Where the origin takes hand-offs; the channel follows (`/edge/handoff/wecom`). */
export const HANDOFF_PATH = '/edge/handoff';
/** Largest hand-off body: the decrypted message of a ≤ 64 KiB callback, as JSON. */
export const HANDOFF_MAX_BODY_BYTES = 128 * 1024;

const SCHEME = 'v1';

/** What the edge parsed from one authentic callback: a message for the bot, or an event with side effects at the origin. */
export const handoffSchema = z.discriminatedUnion('kind', [
  z.object({
    v: z.literal(1),
    kind: z.literal('message'),
    channel: channelSchema,
    messageId: z.string().min(1).max(128),
    from: z.string().min(1).max(256),
    text: z.string().max(64 * 1024),
    receivedAt: z.iso.datetime(),
    retryCount: z.number().int().min(0).optional(),
    /** A group chat's id (the AI bot): the conversation's memory is kept per (group, sender). */
    conversationId: z.string().min(1).max(128).optional(),
    // A card click (WeCom template_card_event, the AI bot's): the task id is ≤ 128 bytes, a button key ≤ 1024.
    action: z.object({ taskId: z.string().min(1).max(128), key: z.string().max(1024), responseCode: z.string().max(1024).optional() }).optional(),
  }),
  z.object({
    v: z.literal(1),
    kind: z.literal('ignored'),
    channel: channelSchema,
    messageId: z.string().min(1).max(128),
    reason: z.string().max(256),
    // What the origin adapter's onAccepted needs (the mini-program's subscription events); made by our own adapter at the edge.
    data: z.record(z.string(), z.unknown()).optional(),
    receivedAt: z.iso.datetime(),
  }),
]);
export type Handoff = z.infer<typeof handoffSchema>;

/** hex HMAC-SHA256 over `${timestamp}.${body}`. */
function mac(secret: string, timestamp: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest();
}

/** The headers that sign `body` (the edge signs with the first of the configured secrets). */
export function signHandoff(secret: string, body: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { [HANDOFF_TIMESTAMP_HEADER]: timestamp, [HANDOFF_SIGNATURE_HEADER]: `${SCHEME}=${mac(secret, timestamp, body).toString('hex')}` };
}

/** The secrets of EDGE_HANDOFF_SECRET: comma-separated, the first signs, any verifies (rotation without downtime). */
export const handoffSecrets = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Throws AppError when the hand-off is not signed by one of `secrets` within `maxSkewS`:
 * 401 `handoff_unsigned` (headers missing or malformed), 401 `handoff_stale` (timestamp outside
 * the window), 401 `bad_handoff_signature` (no secret matches; compared in constant time).
 */
export function verifyHandoff(secrets: readonly string[], headers: Record<string, string | undefined>, body: string, now: Date, maxSkewS: number): void {
  const timestamp = headers[HANDOFF_TIMESTAMP_HEADER] ?? '';
  const presented = /^v1=([0-9a-f]{64})$/.exec(headers[HANDOFF_SIGNATURE_HEADER] ?? '')?.[1];
  if (!/^\d{1,12}$/.test(timestamp) || !presented) throw new AppError('handoff_unsigned', `the hand-off needs ${HANDOFF_TIMESTAMP_HEADER} (unix seconds) and ${HANDOFF_SIGNATURE_HEADER} (v1=<hex>)`);
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > maxSkewS) throw new AppError('handoff_stale', `the hand-off timestamp is more than ${maxSkewS}s away from the origin's clock`);
  const given = Buffer.from(presented, 'hex');
  // Every secret is compared (no early exit), so timing says nothing about which one matched.
  let ok = false;
  for (const secret of secrets) ok = timingSafeEqual(mac(secret, timestamp, body), given) || ok;
  if (!ok) throw new AppError('bad_handoff_signature', 'the hand-off signature does not match EDGE_HANDOFF_SECRET');
}

/** Parses a verified hand-off body; 400 `bad_handoff` when it breaks the schema. */
export function parseHandoff(body: string): Handoff {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new AppError('bad_handoff', 'the hand-off body is not JSON');
  }
  const parsed = handoffSchema.safeParse(doc);
  if (!parsed.success) throw new AppError('bad_handoff', 'the hand-off body breaks its schema', { details: { issues: parsed.error.issues } });
  return parsed.data;
}
