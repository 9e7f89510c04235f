import { z } from 'zod';
import { buildKeyring, installKeyring, parseDataKeys, parseExtraFields, parseIndexKey } from './crm/kernel/index.ts';
import { parseClusterNodes } from './redis.ts';

/** Env vars that hold secrets: never logged, shown as "***" by describeConfig(). */
export const SECRET_KEYS = ['WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_AES_KEY', 'MP_APP_SECRET', 'MP_TOKEN', 'MP_AES_KEY', 'LLM_API_KEY', 'ADMIN_TOKEN', 'WECOM_ROBOT_KEY', 'METRICS_TOKEN', 'EDGE_HANDOFF_SECRET', 'DATA_KEYS', 'DATA_INDEX_KEY', 'AIBOT_TOKEN', 'AIBOT_AES_KEY', 'AIBOT_SECRET', 'WEILING_APP_SECRET', 'WEILING_CALLBACK_TOKEN'] as const;

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

// EncodingAESKey is 43 base64 characters (WeCom docs: "EncodingAESKey 长度固定为43个字符").
const aesKey = optionalString.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), {
  message: 'must be the 43-character EncodingAESKey from the app settings',
});

const intFromEnv = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** The one schema over process.env (names and defaults: docs/configuration.md). */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .default('mysql://root@127.0.0.1:3306/crm')
    .refine((v) => /^mysql:\/\/|^mariadb:\/\//.test(v), { message: 'must be a mysql:// URL' }),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379').refine((v) => /^rediss?:\/\//.test(v), { message: 'must be a redis:// URL' }),
  /**
   * A Redis Cluster instead of the one server of REDIS_URL: comma-separated seed nodes, `host:port` or
   * `redis[s]://[user:pass@]host:port` (docs/scale-out.md). Queue prefixes then carry hash tags.
   */
  REDIS_CLUSTER_NODES: optionalString.superRefine((v, ctx) => {
    if (v === undefined) return;
    try {
      parseClusterNodes(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `must be comma-separated host:port or redis:// seed nodes (${(e as Error).message})` });
    }
  }),
  /**
   * A read replica for the heavy reads that may lag a little (segment previews, counts and runs,
   * dashboards, churn list, RFM overview, exports); unset = everything reads DATABASE_URL (docs/scale-out.md).
   */
  READ_DATABASE_URL: optionalString.refine((v) => v === undefined || /^mysql:\/\/|^mariadb:\/\//.test(v), { message: 'must be a mysql:// URL' }),
  /**
   * How far behind (Seconds_Behind_Master) the read replica may be before heavy reads fall back to
   * the primary; 0 = only whether it answers (src/db/read-replica.ts, docs/scale-out.md).
   */
  READ_REPLICA_MAX_LAG_S: intFromEnv(30, 0),
  /**
   * OpenTelemetry traces over OTLP/HTTP (JSON) to `<endpoint>/v1/traces` when set; unset, no
   * tracing code is loaded (src/telemetry, docs/deployment.md "Traces").
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), { message: 'must be an http(s):// URL' }),
  /** The `service.name` of the spans (tell web and worker apart by `service.instance.role`, from ROLE). */
  OTEL_SERVICE_NAME: z.string().min(1).default('wecom-crm-bot'),
  PORT: intFromEnv(8787, 0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** What this process runs: `web` (HTTP), `worker` (queues and schedules; HTTP only for /healthz, /readyz), or `all` (both, the default). */
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** HTTP processes on one port (node:cluster, src/http/web-processes.ts): more than 1 uses more cores for the callbacks, the console and the API. */
  WEB_PROCESSES: intFromEnv(1, 1),
  /** When set, GET /metrics needs `Authorization: Bearer <token>`; unset, it is open (for a scraper inside the network). */
  METRICS_TOKEN: optionalString,
  /** Log lines: `json`, `pretty` (readable, for a terminal), or `auto` (pretty in development on a terminal, else json). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  WECOM_CORP_ID: optionalString,
  WECOM_AGENT_ID: optionalString.refine((v) => v === undefined || /^\d+$/.test(v), { message: 'must be the numeric AgentId' }),
  WECOM_SECRET: optionalString,
  WECOM_TOKEN: optionalString,
  WECOM_AES_KEY: aesKey,
  WECOM_API_BASE: z.url().default('https://qyapi.weixin.qq.com'),
  /** 卫瓴·协同CRM two-way sync (docs/sync.md): on when the base, app id and secret are all set. */
  WEILING_API_BASE: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), { message: 'must be an http(s):// URL' }),
  WEILING_APP_ID: optionalString,
  WEILING_APP_SECRET: optionalString,
  /** The token our callback URL carries (`/weiling/callback?token=…`): a callback without it is refused. */
  WEILING_CALLBACK_TOKEN: optionalString,
  /** Calls to 卫瓴 per minute (the one rate limiter, shared by every process). */
  WEILING_RATE_PER_MINUTE: intFromEnv(600, 1),
  /** Field rules over the defaults: `name=both:remote,phone=out,tags=off` (docs/sync.md). */
  WEILING_SYNC_FIELDS: z.string().default(''),
  /** Objects pushed (empty: all): member, tag, order, refund, follow_up. */
  WEILING_SYNC_OBJECTS: z.string().default(''),
  /** How often the sync job runs (push, inbound, retries). */
  WEILING_SYNC_EVERY_MS: intFromEnv(5000, 500),
  /** Minutes between incremental reconciliations (0: never). */
  WEILING_RECONCILE_MINUTES: intFromEnv(60, 0),
  /** How long a callback waits for the answer before acking empty and pushing (WeCom gives 5 s). */
  WECOM_REPLY_BUDGET_MS: intFromEnv(3500, 0),
  /** Max age of a callback timestamp, both directions (replay protection). */
  WECOM_MAX_SKEW_S: intFromEnv(300, 1),
  /**
   * The lease of an inbound message's claim (src/bot/inbox/), renewed while its answer runs: a
   * process that died mid-answer leaves a claim the platform's retry takes once this has passed.
   * WeCom retries about every 5 s, three times, so it must stay well under 10 s.
   */
  INBOX_LEASE_MS: intFromEnv(6000, 300),
  /**
   * Days an inbound message's inbox row is kept (src/jobs/inbox-prune.ts): long past any retry
   * of the platform (WeCom's last comes within a minute), long enough to look a message up.
   */
  INBOX_RETENTION_DAYS: intFromEnv(7, 1),
  /**
   * The shared secret of the Cloudflare Workers edge's hand-off (POST /edge/handoff/:channel,
   * docs/deployment.md "Edge (Cloudflare Workers)"): unset = the route answers 503. Comma-separated
   * to rotate: the edge signs with its one secret, the origin accepts any of these.
   */
  EDGE_HANDOFF_SECRET: optionalString.refine((v) => v === undefined || v.split(',').every((s) => s.trim().length >= 32), {
    message: 'each secret must be at least 32 characters (e.g. openssl rand -hex 32)',
  }),
  /** How far a hand-off's signed timestamp may be from the origin's clock (seconds, either way): the replay window. */
  EDGE_HANDOFF_MAX_SKEW_S: intFromEnv(60, 1),
  /**
   * The WeCom AI bot (智能机器人, docs/wecom-setup.md): `callback` (encrypted JSON callbacks at
   * /aibot/callback, needs a public URL), `websocket` (the long connection, no public IP), `off`.
   */
  AIBOT_MODE: z.enum(['off', 'callback', 'websocket']).default('off'),
  /** Callback mode: the Token and EncodingAESKey set on the bot's 接收消息 page. */
  AIBOT_TOKEN: optionalString,
  AIBOT_AES_KEY: aesKey,
  /** Long-connection mode: the bot's BotID and Secret. */
  AIBOT_BOT_ID: optionalString,
  AIBOT_SECRET: optionalString,
  /** Long-connection endpoint (a proxy or a test server may stand in). */
  AIBOT_WS_URL: z.string().regex(/^wss?:\/\//, { message: 'must be a ws:// or wss:// URL' }).default('wss://openws.work.weixin.qq.com'),
  /** How long a message waits for its answer before the first stream chunk says 处理中… (Tencent: answer within 5 s; we promise 2 s). */
  AIBOT_PLACEHOLDER_MS: intFromEnv(1500, 0),
  /** A stream is finished by then (WeCom stops refreshing 6 minutes after the message); what is still missing is relayed as an app message. */
  AIBOT_STREAM_MAX_MS: intFromEnv(330_000, 1000),
  /** Replies per conversation per 24 h that WeCom accepts from an AI bot. */
  AIBOT_REPLIES_PER_DAY: intFromEnv(30, 1),
  /** Proactive pushes (not replies) per conversation per day. */
  AIBOT_PUSHES_PER_DAY: intFromEnv(10, 1),
  /** Welcome text on enter_chat (a user's first visit of the day to the bot's one-to-one chat); empty: the built-in text. */
  AIBOT_WELCOME: optionalString,
  MP_APP_ID: optionalString,
  MP_APP_SECRET: optionalString,
  MP_TOKEN: optionalString,
  MP_AES_KEY: aesKey,
  MP_API_BASE: z.url().default('https://api.weixin.qq.com'),
  LLM_BASE_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  /** Time budget of one LLM call (routing or summary); past it the rule router's answer is used. */
  LLM_TIMEOUT_MS: intFromEnv(2500, 100),
  /** Ask the provider for SSE streaming (some proxies only stream). */
  LLM_STREAMING: z.enum(['on', 'off']).default('off'),
  /** When the model is asked: `fallback` when the router is unsure (low confidence or margin); `first` for every message, the router's answer when the model fails. */
  LLM_ROUTING: z.enum(['fallback', 'first']).default('fallback'),
  ADMIN_TOKEN: optionalString,
  /** Prefix of every Redis key and BullMQ queue of this process (tests give each file its own). */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_:-]+$/i).default('crm'),
  /** Where exports (segment CSV/Excel) are written; download links expire (GET /exports/:token). */
  EXPORT_DIR: z.string().min(1).default('exports'),
  /** Makes download links absolute (e.g. https://crm.example.com); relative when unset. */
  PUBLIC_BASE_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  /** Load the demo data when the database has no members (npm start). */
  SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  /** How many members the demo seed creates by default. */
  SEED_MEMBERS: intFromEnv(2000, 1),
  // ---- journeys, recall, staff alerts ----
  /** No journey sends in this China-time window ("HH:MM-HH:MM"); due sends are deferred to its end. "off" disables. */
  JOURNEY_QUIET_HOURS: z.string().regex(/^(off|\d{2}:\d{2}-\d{2}:\d{2})$/, { message: 'must be HH:MM-HH:MM or off' }).default('21:00-09:00'),
  /** Marketing messages a member may get per China-time week across all journeys. */
  JOURNEY_WEEKLY_CAP: intFromEnv(2, 0),
  /** A member recalled within this many China-time days (or in a running recall) is left out of a new recall. */
  RECALL_COOLDOWN_DAYS: intFromEnv(14, 0),
  /** Concurrency of the journey step worker. */
  JOURNEY_CONCURRENCY: intFromEnv(16, 1),
  /** Flood control (src/bot/rate-limit.ts): a member's actions that alert staff or write (hand-off, unsubscribe) per window. */
  MEMBER_ACTION_LIMIT: intFromEnv(5, 1),
  MEMBER_ACTION_WINDOW_S: intFromEnv(600, 1),
  /** Flood control: a staff member's chat actions that write, send or export per window (reads are never limited). */
  STAFF_ACTION_LIMIT: intFromEnv(120, 1),
  STAFF_ACTION_WINDOW_S: intFromEnv(600, 1),
  /** A queue with jobs waiting and none taken for this long has its worker replaced (src/jobs/watchdog.ts). */
  QUEUE_STALL_MS: intFromEnv(60_000, 1000),
  /** SMS / email provider endpoints (JSON POST); unset = log-only adapters (nothing leaves the process). */
  SMS_PROVIDER_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  EMAIL_PROVIDER_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  /** message/send daily cap of the WeCom app (messages/day, WeCom: licensed accounts × 200). */
  WECOM_APP_DAILY_CAP: intFromEnv(20000, 1),
  /** Group robot webhook key for staff alerts (POST /cgi-bin/webhook/send?key=); unset = app messages only. */
  WECOM_ROBOT_KEY: optionalString,
  // ---- 微信客服 for members (docs/wecom.md, "微信客服 (members)") ----
  /** 微信客服: on when the WeCom app can call the API (WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID); off to ignore kf events. */
  KF: z.enum(['auto', 'off']).default('auto'),
  /** 微信客服 hand-off target: a servicer's WeCom userid (service_state 3); unset = the kf's waiting queue (2). */
  KF_HANDOFF_SERVICER: optionalString,
  // ---- the web console, sign-in and exports (docs/guides/administrator.md, "Signing in to the console") ----
  /** The web console (GET /, POST /console/messages): auto = on outside production, off in production; on; off. */
  CONSOLE: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Address the HTTP server binds to; unset = 127.0.0.1 outside production (loopback only), 0.0.0.0 in production. */
  HOST: optionalString,
  /** How long a console sign-in lasts (seconds, absolute from sign-in). */
  SESSION_TTL_S: intFromEnv(8 * 3600, 60),
  /**
   * How long a chat turn may reuse the sender's staff identity (role, stores, active) read by an
   * earlier turn in this process, in ms; 0 = read it on every turn. Changes made through the staff
   * directory drop it at once in the process that made them; other processes see them within this.
   */
  STAFF_IDENTITY_TTL_MS: intFromEnv(5000, 0).refine((v) => v <= 60_000, { message: 'at most 60000 (a deactivated staff member must lose access quickly)' }),
  /** An export with more rows than this (and any export of full phone numbers) waits for a second approver. */
  EXPORT_APPROVAL_ROWS: intFromEnv(5000, 0),
  // ---- personal data at rest (docs/deployment.md, "Personal data keys") ----
  /**
   * AES-256 keys personal data (phone, email) is sealed with: `kid:base64key,kid2:base64key`, each
   * key 32 bytes (`openssl rand -base64 32`). Keep every id still in use until `rotate-keys` is done.
   * Required in production; unset elsewhere = a fixed, published development key.
   */
  DATA_KEYS: optionalString.superRefine((v, ctx) => {
    if (v === undefined) return;
    try {
      parseDataKeys(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  }),
  /** The id in DATA_KEYS new values are sealed with (and `rotate-keys` re-seals to); may be left out when DATA_KEYS has one key. */
  DATA_KEY_ID: optionalString,
  /**
   * Members' fields sealed beside phone and e-mail, comma-separated from: remarks, addresses.
   * Unset: only phone and e-mail. Changing it applies to new writes at once; `npm run crm --
   * rotate-keys` converts the stored rows (seals newly listed fields, opens fields taken off).
   */
  PERSONAL_DATA_FIELDS: optionalString.superRefine((v, ctx) => {
    try {
      parseExtraFields(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  }),
  /** HMAC-SHA256 key of the blind indexes (exact phone/email lookup), ≥ 32 bytes in base64. Never changes once data is written. */
  DATA_INDEX_KEY: optionalString.superRefine((v, ctx) => {
    if (v === undefined) return;
    try {
      parseIndexKey(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  }),
});

export type Config = z.infer<typeof configSchema>;

/** A config value that fails validation: start-up stops with this, naming each variable. */
export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses env once; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  const cfg = result.data;
  const missing = [
    ...requireTogether(cfg, ['WECOM_TOKEN', 'WECOM_AES_KEY', 'WECOM_CORP_ID'], 'the WeCom callback needs all three'),
    ...requireTogether(cfg, ['MP_APP_ID', 'MP_TOKEN'], 'the mini-program push needs both'),
    ...requireTogether(cfg, ['AIBOT_TOKEN', 'AIBOT_AES_KEY'], 'the AI bot callback needs both'),
    ...requireTogether(cfg, ['AIBOT_BOT_ID', 'AIBOT_SECRET'], 'the AI bot long connection needs both'),
    ...requireTogether(cfg, ['DATA_KEYS', 'DATA_INDEX_KEY'], 'personal data is sealed with the one and found through the other'),
  ];
  if (isProduction(cfg)) {
    // Without them production would seal members' phones with the published development key.
    for (const k of ['DATA_KEYS', 'DATA_INDEX_KEY'] as const) {
      if (cfg[k] === undefined && !missing.some((m) => m.variable === k)) missing.push({ variable: k, message: 'required in production: personal data is encrypted at rest with it (docs/deployment.md, "Personal data keys")' });
    }
  }
  if (missing.length) throw new ConfigError(missing);
  try {
    // The keys are configuration: every entry point that read its configuration (server, CLI,
    // migration, tests) seals and finds personal data with its keys from here on.
    installKeyring(buildKeyring(cfg));
  } catch (e) {
    throw new ConfigError([{ variable: 'DATA_KEY_ID', message: (e as Error).message }]);
  }
  return cfg;
}

/** Settings that only work as a group: setting some but not all of them is a mistake worth stopping for. */
function requireTogether(cfg: Config, keys: (keyof Config)[], why: string): { variable: string; message: string }[] {
  const set = keys.filter((k) => cfg[k] !== undefined);
  if (set.length === 0 || set.length === keys.length) return [];
  return keys.filter((k) => cfg[k] === undefined).map((k) => ({ variable: k, message: `required when ${set.join(' / ')} is set (${why})` }));
}

export const isProduction = (cfg: Pick<Config, 'NODE_ENV'>): boolean => cfg.NODE_ENV === 'production';

/** Whether the web console is served: CONSOLE=auto keeps it off in production (issue: anyone reaching the port could act as anyone). */
export const consoleEnabled = (cfg: Pick<Config, 'NODE_ENV' | 'CONSOLE'>): boolean => (cfg.CONSOLE === 'auto' ? !isProduction(cfg) : cfg.CONSOLE === 'on');

/** Whether this process serves the HTTP edge / runs the queue workers (ROLE; docs/deployment.md). */
export const runsWeb = (cfg: Pick<Config, 'ROLE'>): boolean => cfg.ROLE !== 'worker';
export const runsWorkers = (cfg: Pick<Config, 'ROLE'>): boolean => cfg.ROLE !== 'web';

/** Where the server listens: HOST when set, else loopback outside production (the open console must not face the network). */
export const listenHost = (cfg: Pick<Config, 'NODE_ENV' | 'HOST'>): string => cfg.HOST ?? (isProduction(cfg) ? '0.0.0.0' : '127.0.0.1');

/** Variables whose value is a URL (or a list of them) that may carry a password. */
const holdsUrls = (k: string) => k.endsWith('_URL') || k === 'REDIS_CLUSTER_NODES';

/** The config with secrets hidden, for the start-up log line. */
export function describeConfig(cfg: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...cfg };
  for (const k of SECRET_KEYS) if (out[k]) out[k] = '***';
  for (const [k, v] of Object.entries(out)) if (typeof v === 'string' && holdsUrls(k)) out[k] = v.replace(/(:\/\/[^:@/]*):[^@/]+@/g, '$1:***@');
  return out;
}

/** The configured secret values (secret keys and URL passwords), which no log line may contain. */
export function secretValues(cfg: Config): string[] {
  const out: string[] = [];
  for (const k of SECRET_KEYS) if (typeof cfg[k] === 'string' && cfg[k]) out.push(cfg[k] as string);
  // Each data key alone, too: a log line could hold one without the rest of DATA_KEYS.
  if (cfg.DATA_KEYS) for (const entry of cfg.DATA_KEYS.split(',')) out.push(entry.slice(entry.indexOf(':') + 1).trim());
  for (const [k, v] of Object.entries(cfg)) {
    if (typeof v !== 'string' || !holdsUrls(k)) continue;
    for (const m of v.matchAll(/:\/\/[^:@/]*:([^@/]+)@/g)) out.push(m[1]!, decodeURIComponent(m[1]!));
  }
  return out;
}
