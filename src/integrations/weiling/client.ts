import { rateLimiter } from '../../crm/kernel/index.ts';
import { SyncCallError } from '../../crm/sync/index.ts';
import type { Services } from '../../services.ts';

/**
 * 卫瓴's HTTP API (卫瓴API文档, 对接说明): every response is `{code, msg, data}`, code 0 on
 * success; `access_token` is obtained server-side and passed as a query parameter to every
 * call. The token is cached until shortly before it expires and fetched again when 卫瓴 says it
 * expired (then the call is made once more). Each call takes a token of the one rate limiter
 * (WEILING_RATE_PER_MINUTE, shared by every process), times out after 10 s, and a 5xx, a
 * timeout or a rate-limit answer is a retryable SyncCallError (the sync retries with backoff).
 */
/** Codes meaning "token expired or invalid": not in the pages we found; assumed WeCom-style (docs/sync.md). */
export const TOKEN_EXPIRED_CODES = new Set([40001, 40014, 42001]);
/** Codes meaning "too many calls": assumed likewise. */
export const RATE_LIMITED_CODES = new Set([45009, 45011]);
const TIMEOUT_MS = 10_000;
/** Path of 1.1 获取访问凭据 (a GET; the path is not in the pages we found: assumed). */
export const TOKEN_PATH = '/openapi/token';

export interface WeilingClientConfig {
  base: string;
  appId: string;
  appSecret: string;
  perMinute: number;
  /** Per call (default 10 s; tests shorten it). */
  timeoutMs?: number;
}

export interface WeilingClient {
  call<T = unknown>(path: string, body: unknown): Promise<T>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createWeilingClient(services: Services, cfg: WeilingClientConfig): WeilingClient {
  let token: { value: string; until: number } | null = null;
  let fetching: Promise<string> | null = null;
  const limiter = rateLimiter(services);

  const request = async (url: string, init?: RequestInit): Promise<{ code: number; msg: string; data: unknown }> => {
    for (;;) {
      const wait = await limiter.bucket('weiling', cfg.perMinute, Math.max(1, Math.ceil(cfg.perMinute / 60)));
      if (wait === 0) break;
      await sleep(Math.min(wait, 1000));
    }
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(cfg.timeoutMs ?? TIMEOUT_MS) });
    } catch (e) {
      throw new SyncCallError(`卫瓴 unreachable: ${(e as Error).name === 'TimeoutError' ? 'timeout' : (e as Error).message}`, true);
    }
    if (res.status >= 500 || res.status === 429) throw new SyncCallError(`卫瓴 HTTP ${res.status}`, true);
    if (!res.ok) throw new SyncCallError(`卫瓴 HTTP ${res.status}`, false);
    const json = (await res.json().catch(() => null)) as { code?: number | string; msg?: string; data?: unknown } | null;
    if (!json || json.code === undefined) throw new SyncCallError('卫瓴 answered without {code, msg, data}', true);
    return { code: Number(json.code), msg: String(json.msg ?? ''), data: json.data };
  };

  const fetchToken = async (): Promise<string> => {
    const q = new URLSearchParams({ app_id: cfg.appId, app_secret: cfg.appSecret });
    const r = await request(`${cfg.base}${TOKEN_PATH}?${q}`);
    const data = r.data as { access_token?: string; expires_in?: number } | undefined;
    if (r.code !== 0 || !data?.access_token) throw new SyncCallError(`卫瓴 token: ${r.code} ${r.msg}`, r.code !== 0 && !TOKEN_EXPIRED_CODES.has(r.code));
    // Five minutes early, so a call never starts with a token about to lapse.
    token = { value: data.access_token, until: Date.now() + Math.max(60, (data.expires_in ?? 7200) - 300) * 1000 };
    return token.value;
  };
  const accessToken = async (fresh: boolean): Promise<string> => {
    if (!fresh && token && token.until > Date.now()) return token.value;
    fetching ??= fetchToken().finally(() => (fetching = null));
    return fetching;
  };

  return {
    async call<T>(path: string, body: unknown): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const t = await accessToken(attempt > 0);
        const r = await request(`${cfg.base}${path}?access_token=${encodeURIComponent(t)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (r.code === 0) return r.data as T;
        if (TOKEN_EXPIRED_CODES.has(r.code) && attempt === 0) {
          token = null;
          continue;
        }
        throw new SyncCallError(`卫瓴 ${path}: ${r.code} ${r.msg}`, RATE_LIMITED_CODES.has(r.code) || TOKEN_EXPIRED_CODES.has(r.code));
      }
    },
  };
}
