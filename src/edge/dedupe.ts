/**
 * Dedupe at the edge by the platform's message id (docs/deployment.md, "Edge (Cloudflare Workers)"):
 * one Durable Object per channel + message id, holding that message's state — handed off
 * (`done`), being handed off (`pending`, with a lease), or nothing.
 *
 * Why a Durable Object and not KV: WeCom retries a callback it got no answer to within seconds,
 * possibly through another data centre, while the first attempt may still be running. KV is
 * eventually consistent (a write can take up to a minute to be seen elsewhere) and has no
 * compare-and-set, so both deliveries would read "absent" and both be handed off. A Durable
 * Object is one single-threaded instance worldwide with transactional storage: its claim is
 * atomic, and a retry sees the first attempt's state at once. (The origin's durable inbox
 * dedupes again on the same id; the edge's dedupe saves the round trip and the platform's
 * retries from piling up while the origin is slow.)
 */
import type { DurableObjectNamespace, DurableObjectState } from './workers-types.ts';

/** How long a handed-off message id is remembered: far past any platform retry (WeCom's last comes within a minute). */
export const DEDUPE_TTL_MS = 24 * 3600 * 1000;

type Entry = { s: 'pending'; until: number; token: string } | { s: 'done' };

export type ClaimResult = { result: 'claimed'; token: string } | { result: 'duplicate' } | { result: 'inflight' };

type Op = { op: 'claim'; leaseMs: number } | { op: 'done' } | { op: 'release'; token: string };

const KEY = 'e';

/** The Durable Object class (wrangler.toml: binding EDGE_DEDUPE, class EdgeDedupe). */
export class EdgeDedupe {
  constructor(private readonly state: DurableObjectState) {}

  // One request at a time per object: no await on anything but this object's storage between the
  // read and the write, so the input gate keeps every claim atomic.
  async fetch(request: Request): Promise<Response> {
    const op = (await request.json()) as Op;
    const { storage } = this.state;
    const now = Date.now();
    if (op.op === 'claim') {
      const cur = await storage.get<Entry>(KEY);
      if (cur?.s === 'done') return Response.json({ result: 'duplicate' } satisfies ClaimResult);
      if (cur?.s === 'pending' && cur.until > now) return Response.json({ result: 'inflight' } satisfies ClaimResult);
      const token = crypto.randomUUID();
      await storage.put<Entry>(KEY, { s: 'pending', until: now + op.leaseMs, token });
      await storage.setAlarm(now + DEDUPE_TTL_MS); // nothing stays forever, whatever happens next
      return Response.json({ result: 'claimed', token } satisfies ClaimResult);
    }
    if (op.op === 'done') {
      await storage.put<Entry>(KEY, { s: 'done' });
      await storage.setAlarm(now + DEDUPE_TTL_MS);
      return Response.json({ ok: true });
    }
    // A failed hand-off gives the message back so the platform's retry is handed off, unless a
    // later attempt has taken the claim over since (its lease is not ours to drop).
    const cur = await storage.get<Entry>(KEY);
    if (cur?.s === 'pending' && cur.token === op.token) await storage.delete(KEY);
    return Response.json({ ok: true });
  }

  async alarm(): Promise<void> {
    await this.state.storage.deleteAll();
  }
}

/** The Worker's side: claim, complete or release one message id. */
export function dedupeClient(ns: DurableObjectNamespace) {
  const call = async <T>(key: string, op: Op): Promise<T> => {
    const res = await ns.get(ns.idFromName(key)).fetch('https://dedupe/', { method: 'POST', body: JSON.stringify(op) });
    if (!res.ok) throw new Error(`dedupe object answered ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    claim: (key: string, leaseMs: number) => call<ClaimResult>(key, { op: 'claim', leaseMs }),
    done: (key: string) => call<unknown>(key, { op: 'done' }),
    release: (key: string, token: string) => call<unknown>(key, { op: 'release', token }),
  };
}
