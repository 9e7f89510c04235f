/**
 * Access-token cache shared by every process of one app, for WeCom and the mini-program alike
 * (docs/wecom.md, protocol rules: per app, cached (7200 s), one refresh at a time). WeCom
 * invalidates nothing when a new token is issued, but gettoken itself is rate-limited, so a burst of sends must not become a burst of
 * gettoken calls:
 * - in one process, concurrent callers share a single in-flight refresh promise;
 * - across processes, a short Redis lock (SET NX PX) elects one refresher; the others poll
 *   the cache until the new token appears or the lock expires.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../crm/kernel/index.ts';
import type { Logger } from '../../logger.ts';
import type { Redis } from '../../redis.ts';

export interface FetchedToken {
  token: string;
  /** Seconds the token is valid for (WeCom: expires_in, normally 7200). */
  expiresIn: number;
}

export interface TokenCacheOptions {
  redis: Redis;
  logger: Logger;
  /** Redis key of the cached token (already namespaced; one per corp id + agent id). */
  cacheKey: string;
  /** Fetches a fresh token from the platform (gettoken). */
  fetchToken: () => Promise<FetchedToken>;
  /** Tokens are dropped this long before WeCom expires them, so none expires mid-request. */
  marginS?: number;
  /** How long the cross-process refresh lock is held at most. */
  lockTtlMs?: number;
  /** Poll interval while another process refreshes. */
  pollMs?: number;
  /** Names the platform in logs and error codes (default `wecom`; the mini-program uses `mp`). */
  label?: 'wecom' | 'mp';
}

export interface TokenCache {
  /** The cached token, refreshing it first when absent. */
  get(): Promise<string>;
  /** Drops `token` from the cache, but only if it is still the cached one (another caller may have refreshed already). */
  invalidate(token: string): Promise<void>;
}

// Compare-and-delete: releasing a lock or dropping a token never removes someone else's newer value.
const DEL_IF_EQUAL = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createTokenCache(opts: TokenCacheOptions): TokenCache {
  const { redis, logger, cacheKey, fetchToken } = opts;
  const marginS = opts.marginS ?? 300;
  const lockTtlMs = opts.lockTtlMs ?? 10_000;
  const pollMs = opts.pollMs ?? 100;
  const label = opts.label ?? 'wecom';
  const lockKey = `${cacheKey}:lock`;
  let inFlight: Promise<string> | undefined;

  async function refreshUnderLock(): Promise<string> {
    const owner = randomBytes(8).toString('hex');
    // Twice the lock TTL: a dead holder's lock expires within one TTL, so we get our turn.
    const deadline = Date.now() + 2 * lockTtlMs;
    while (Date.now() < deadline) {
      const cached = await redis.get(cacheKey);
      if (cached) return cached;
      if ((await redis.set(lockKey, owner, 'PX', lockTtlMs, 'NX')) === 'OK') {
        try {
          const { token, expiresIn } = await fetchToken();
          const ttl = Math.max(60, Math.floor(expiresIn - marginS));
          await redis.set(cacheKey, token, 'EX', ttl);
          logger.info({ cacheKey, expiresIn, cachedForS: ttl }, `${label} access token refreshed`);
          return token;
        } finally {
          await redis.eval(DEL_IF_EQUAL, 1, lockKey, owner).catch(() => undefined);
        }
      }
      await sleep(pollMs);
    }
    throw new AppError(`${label}_token_refresh_timeout` as const, 'timed out waiting for another process to refresh the access token');
  }

  return {
    async get() {
      const cached = await redis.get(cacheKey);
      if (cached) return cached;
      inFlight ??= refreshUnderLock().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    async invalidate(token) {
      await redis.eval(DEL_IF_EQUAL, 1, cacheKey, token);
    },
  };
}
