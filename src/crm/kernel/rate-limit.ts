/**
 * The one rate limiter of the application, in Redis and shared by every process: every counted
 * limit goes through it — channel limits (docs/wecom.md, protocol rules: WeCom per recipient
 * 30/min and 1000/hour, the WeCom app's daily cap, the group robot's 20/min) and the flood
 * limits on chat actions that alert or write (per member, per staff member; src/bot/rate-limit.ts).
 * A token bucket (one Lua script: refill by elapsed time, take one) for smooth per-channel
 * rates, fixed windows (one Lua script: refuse if any window is full, else count in all) for
 * counts. A refused attempt is not counted, so a flood does not push the window's end further
 * out. All take the injected clock's time, so accelerated-time tests and production agree. A
 * refusal says how long to wait: a job defers (re-delays) instead of dropping, a chat answer
 * says when to try again.
 */
import { createHash } from 'node:crypto';
import { slotTag, type Redis } from '../../redis.ts';

const BUCKET_LUA = `
local cap = tonumber(ARGV[1]); local perMs = tonumber(ARGV[2]); local now = tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(v[1]); local ts = tonumber(v[2])
if tokens == nil then tokens = cap; ts = now end
if now > ts then tokens = math.min(cap, tokens + (now - ts) * perMs); ts = now end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / perMs) end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / perMs) + 60000)
return wait`;

const WINDOW_LUA = `
for i = 1, #KEYS do
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  if n >= tonumber(ARGV[i * 2 - 1]) then return i end
end
for i = 1, #KEYS do
  redis.call('INCR', KEYS[i]); redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[i * 2]))
end
return 0`;

/**
 * Runs a script by its SHA-1 (EVALSHA: the source is not sent on every call, which at a chat turn's
 * rate is most of the command's bytes); a server that does not hold it yet (NOSCRIPT: first use,
 * a restart, SCRIPT FLUSH, another cluster node) gets the source once through EVAL, which caches it.
 */
async function runScript(redis: Redis, script: { src: string; sha: string }, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (e) {
    if (!/NOSCRIPT/.test(String((e as Error).message))) throw e;
    return redis.eval(script.src, keys.length, ...keys, ...args);
  }
}

const script = (src: string) => ({ src, sha: createHash('sha1').update(src).digest('hex') });
const BUCKET = script(BUCKET_LUA);
const WINDOW = script(WINDOW_LUA);

export interface Window {
  /** Limit per window. */
  limit: number;
  /** Window length in ms. */
  ms: number;
  /** Where windows start, ms after the epoch's (8 h: a China-time day for a daily cap). */
  offsetMs?: number;
}

export interface RateLimiter {
  /** Takes one token of `name`'s bucket (capacity `burst`, refilled at `perMinute`); 0 = go, else ms to wait. */
  bucket(name: string, perMinute: number, burst: number): Promise<number>;
  /** Counts one in every fixed window of `name` unless one of them is full; 0 = go, else ms until that window ends. */
  windows(name: string, windows: Window[]): Promise<number>;
  /** The same, saying which window was full (its index in `windows`), so a caller can name it. */
  windowsWhich(name: string, windows: Window[]): Promise<{ waitMs: number; full: number | null }>;
}

export function createRateLimiter(redis: Redis, key: (...p: (string | number)[]) => string, now: () => Date): RateLimiter {
  const windowsWhich: RateLimiter['windowsWhich'] = async (name, windows) => {
    const t = now().getTime();
    // One script reads and counts every window of `name`: its keys share a slot on a cluster.
    const keys = windows.map((w) => key('rl', 'win', slotTag(name), w.ms, Math.floor((t + (w.offsetMs ?? 0)) / w.ms)));
    const args = windows.flatMap((w) => [w.limit, w.ms + 1000]);
    const full = Number(await runScript(redis, WINDOW, keys, args));
    if (full === 0) return { waitMs: 0, full: null };
    const w = windows[full - 1]!;
    return { waitMs: w.ms - ((t + (w.offsetMs ?? 0)) % w.ms) + 1, full: full - 1 };
  };
  return {
    async bucket(name, perMinute, burst) {
      const wait = await runScript(redis, BUCKET, [key('rl', 'bucket', name)], [burst, perMinute / 60_000, now().getTime()]);
      return Number(wait);
    },
    async windows(name, windows) {
      return (await windowsWhich(name, windows)).waitMs;
    },
    windowsWhich,
  };
}

/** The limiter over the services' Redis, key prefix and clock. */
export const rateLimiter = (services: { redis: Redis; key: (...p: (string | number)[]) => string; now: () => Date }): RateLimiter => createRateLimiter(services.redis, services.key, services.now);
