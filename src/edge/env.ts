/**
 * The Worker's bindings (wrangler.toml [vars], `wrangler secret put`, the Durable Object), parsed
 * with zod once per isolate. The platform settings keep the names and meanings of the origin's
 * (src/config.ts, docs/configuration.md), so an operator copies the same values; the rest are
 * the edge's own (docs/deployment.md, "Edge (Cloudflare Workers)"). This module does not import
 * src/config.ts: that one pulls in the Redis client, which has no place in a Worker bundle.
 */
import { z } from 'zod';
import type { DurableObjectNamespace } from './workers-types.ts';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const aesKey = optionalString.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), { message: 'must be the 43-character EncodingAESKey' });
const intFromVar = (def: number, min: number) => z.coerce.number().int().min(min).default(def);

export const edgeEnvSchema = z.object({
  /** The origin's public base URL (https://crm.example.com); hand-offs go to `${EDGE_ORIGIN_URL}/edge/handoff/<channel>`. */
  EDGE_ORIGIN_URL: z.url().transform((u) => u.replace(/\/+$/, '')),
  /** The secret shared with the origin's EDGE_HANDOFF_SECRET (the origin may list several while rotating; the edge signs with one). */
  EDGE_HANDOFF_SECRET: z.string().trim().min(32, { message: 'must be at least 32 characters (openssl rand -hex 32)' }),
  /**
   * How long a callback may wait for the origin's acceptance before the platform is told to retry
   * (503). WeCom waits 5 s for an answer, so the default leaves a second for everything else.
   */
  EDGE_ORIGIN_TIMEOUT_MS: intFromVar(4000, 100),
  WECOM_CORP_ID: optionalString,
  WECOM_TOKEN: optionalString,
  WECOM_AES_KEY: aesKey,
  WECOM_MAX_SKEW_S: intFromVar(300, 1),
  /** The AI bot's callback settings (AIBOT_TOKEN, AIBOT_AES_KEY; its receive id is empty), and its welcome text. */
  AIBOT_TOKEN: optionalString,
  AIBOT_AES_KEY: aesKey,
  AIBOT_WELCOME: optionalString,
  MP_APP_ID: optionalString,
  MP_TOKEN: optionalString,
  MP_AES_KEY: aesKey,
});

export type EdgeConfig = z.infer<typeof edgeEnvSchema>;

/** What the Worker is given: the variables above plus the dedupe Durable Object's namespace. */
export interface EdgeEnv extends Record<string, unknown> {
  EDGE_DEDUPE: DurableObjectNamespace;
}
