import { Cluster, Redis } from 'ioredis';

export type { Redis };

/** Where a connection reports that Redis went away or came back (one line each, never a stack). */
export interface RedisWatch {
  down(message: string): void;
  up(): void;
}

/**
 * A key part that decides the hash slot on a Redis Cluster: keys that a script, MULTI, pipeline or
 * multi-key command uses together each carry the same tag (Redis hashes only what is inside the
 * first `{…}`). Harmless on one server.
 */
export const slotTag = (part: string | number): string => `{${part}}`;

/** Where Redis is: one server (REDIS_URL), or a Redis Cluster when REDIS_CLUSTER_NODES names its seed nodes. */
export interface RedisTarget {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: string;
}

export interface ClusterSeeds {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * REDIS_CLUSTER_NODES: comma-separated seed nodes, each `host:port` or `redis[s]://[user:pass@]host:port`
 * (a few suffice: the client learns the rest from CLUSTER SLOTS). Credentials and TLS, when
 * given, are taken from the first entry that has them and used for every node.
 */
export function parseClusterNodes(list: string): ClusterSeeds {
  const out: ClusterSeeds = { nodes: [], tls: false };
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const url = new URL(/^rediss?:\/\//.test(raw) ? raw : `redis://${raw}`);
    if (!url.hostname || !url.port) throw new Error(`"${raw.replace(/:[^:@/]*@/, ':***@')}" is not host:port`);
    out.nodes.push({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) });
    if (url.protocol === 'rediss:') out.tls = true;
    if (url.password && out.password === undefined) {
      out.password = decodeURIComponent(url.password);
      if (url.username) out.username = decodeURIComponent(url.username);
    }
  }
  if (out.nodes.length === 0) throw new Error('names no node');
  return out;
}

/** Whether this target is a Redis Cluster (queue prefixes carry hash tags then: queuePrefix in src/jobs/queues.ts). */
export const isClusterTarget = (t: RedisTarget): boolean => Boolean(t.REDIS_CLUSTER_NODES);

/** A URL of one node, for the start-up reachability check (a cluster node answers PING like a server). */
export function firstNodeUrl(t: RedisTarget): string {
  if (!t.REDIS_CLUSTER_NODES) return t.REDIS_URL;
  const seeds = parseClusterNodes(t.REDIS_CLUSTER_NODES);
  const auth = seeds.password ? `${encodeURIComponent(seeds.username ?? '')}:${encodeURIComponent(seeds.password)}@` : '';
  return `${seeds.tls ? 'rediss' : 'redis'}://${auth}${seeds.nodes[0]!.host}:${seeds.nodes[0]!.port}`;
}

// Reconnect with backoff up to 5 s, for as long as it takes: recovery without a restart.
const backoff = (times: number) => Math.min(200 * 2 ** Math.min(times, 5), 5000);

/**
 * ioredis connection. BullMQ workers need maxRetriesPerRequest = null (blocking commands);
 * request/response code gets a bounded retry so /readyz fails fast when Redis is down.
 *
 * With REDIS_CLUSTER_NODES it is an ioredis Cluster, typed as `Redis`: every command the app
 * sends exists on both, and the rule the cluster adds — a command, script, MULTI or pipeline
 * spanning several keys keeps them in one hash slot — is kept by the key builders (a shared
 * `{tag}`: docs/scale-out.md), and tested against a real three-node cluster (test/e2e/redis-cluster.test.ts).
 *
 * An ioredis connection without an 'error' listener prints "[ioredis] Unhandled error event"
 * with a stack on every reconnect attempt; this one always has a listener, which reports the
 * outage once (when it starts) and the recovery once (docs/guides/administrator.md).
 */
export function createRedis(target: RedisTarget, opts: { forBullmq?: boolean; watch?: RedisWatch } = {}): Redis {
  const perRequest = { maxRetriesPerRequest: opts.forBullmq ? null : 2 };
  const offline = opts.forBullmq ? true : false;
  let redis: Redis;
  if (target.REDIS_CLUSTER_NODES) {
    const seeds = parseClusterNodes(target.REDIS_CLUSTER_NODES);
    const cluster = new Cluster(seeds.nodes, {
      enableOfflineQueue: offline,
      clusterRetryStrategy: backoff,
      redisOptions: { ...perRequest, username: seeds.username, password: seeds.password, ...(seeds.tls ? { tls: {} } : {}) },
    });
    // A node's own error (one node restarting) is reported like the cluster's.
    cluster.on('node error', (err: Error) => cluster.emit('error', err));
    redis = cluster as unknown as Redis;
  } else {
    redis = new Redis(target.REDIS_URL, { ...perRequest, enableOfflineQueue: offline, lazyConnect: false, retryStrategy: backoff });
  }
  let down = false;
  const onError = (err: Error) => {
    if (down) return;
    down = true;
    opts.watch?.down(err.message || String(err));
  };
  redis.on('error', onError);
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    opts.watch?.up();
  });
  if (opts.forBullmq) listenOnDuplicates(redis, onError);
  return redis;
}

/**
 * BullMQ gives each worker connections of its own by `duplicate()` (a new client: no listeners
 * copied) and takes its 'error' listener off them when the worker closes. A write still in flight
 * then (a job finishing as Redis goes away during shutdown) fails with no listener left, and ioredis
 * prints "[ioredis] Unhandled error event" with a stack. Every duplicate keeps a listener of ours
 * for its whole life: the outage is reported once, through the same watch, as for the parent.
 */
function listenOnDuplicates(redis: Redis, onError: (err: Error) => void): void {
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = ((...args: Parameters<Redis['duplicate']>) => {
    const copy = duplicate(...args);
    copy.on('error', onError);
    listenOnDuplicates(copy, onError);
    return copy;
  }) as Redis['duplicate'];
}

/** The connections that hold keys: the server, or each master of a cluster (SCAN, FLUSH and INFO are per node). */
export function keyHolders(redis: Redis): Redis[] {
  const r = redis as unknown as { isCluster?: boolean; nodes?: (role: 'master') => Redis[] };
  return r.isCluster && r.nodes ? r.nodes('master') : [redis];
}

/**
 * Every key matching `pattern` (SCAN, never KEYS), on every master of a cluster. A glob that
 * starts with a literal prefix is fine; the keys of one queue in cluster mode start with `{`.
 */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  for (const node of keyHolders(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      out.push(...keys);
    } while (cursor !== '0');
  }
  return out;
}

/** Deletes keys one command each (pipelined): a multi-key DEL would cross hash slots on a cluster. */
export async function deleteKeys(redis: Redis, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) await Promise.all(keys.slice(i, i + 500).map((k) => redis.unlink(k)));
}

/** Closes a connection without waiting on a Redis that does not answer (quit would queue forever). */
export async function closeRedis(redis: Redis, ms = 2000): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  const t = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  await Promise.race([redis.quit().then(() => undefined, () => undefined), t]);
  if ((redis.status as string) !== 'end') redis.disconnect();
}

/** True for an error that only says Redis (or the network to it) is unavailable. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN', 'NOAUTH'].includes(code) || /Connection is closed|connect ECONNREFUSED|Stream isn't writeable|NOAUTH|WRONGPASS|max retries per request/i.test(e?.message ?? '');
}
