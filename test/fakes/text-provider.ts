/**
 * A local SMS / e-mail provider speaking the JSON wire format of our HTTP adapter
 * (src/channels/outbound/text-http.ts): POST {to, text, subject?, ref} with an Idempotency-Key header.
 * Like real providers it collapses a resend with the same key (answers the first id again and
 * delivers nothing). Scriptable: addresses that are invalid (422), addresses that always fail
 * (500), the next N requests failing (503), a delay.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivered {
  to: string;
  text: string;
  subject?: string;
  key: string;
  id: string;
  at: Date;
}

export interface FakeTextProvider {
  readonly url: string;
  /** Accepted, deduplicated deliveries. */
  readonly delivered: Delivered[];
  /** Every POST received, including refused and duplicate ones. */
  readonly requests: number;
  /** Resends collapsed by the Idempotency-Key. */
  readonly duplicates: number;
  failNext(times: number, status?: number): void;
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export interface FakeTextOptions {
  /** Recipients refused as invalid (HTTP 422). */
  invalid?: (to: string) => boolean;
  /** Recipients whose sends always fail (HTTP 500). */
  broken?: (to: string) => boolean;
  delayMs?: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of req) parts.push(p as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startFakeTextProvider(opts: FakeTextOptions = {}): Promise<FakeTextProvider> {
  const delivered: Delivered[] = [];
  const byKey = new Map<string, string>();
  let requests = 0;
  let duplicates = 0;
  let failures: { times: number; status: number }[] = [];
  let delayMs = opts.delayMs ?? 0;
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      requests++;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method !== 'POST') return json(405, { error: 'method' });
      let body: { to?: unknown; text?: unknown; subject?: unknown };
      try {
        body = JSON.parse(raw);
      } catch {
        return json(400, { error: 'bad json' });
      }
      const key = String(req.headers['idempotency-key'] ?? '');
      const to = String(body.to ?? '');
      if (!to || typeof body.text !== 'string' || !key) return json(400, { error: 'to, text and Idempotency-Key are required' });
      const f = failures[0];
      if (f) {
        if (--f.times <= 0) failures.shift();
        return json(f.status, { error: 'temporarily unavailable' });
      }
      const seen = byKey.get(key);
      if (seen) {
        duplicates++;
        return json(200, { id: seen, duplicate: true });
      }
      if (opts.invalid?.(to)) return json(422, { error: 'invalid recipient' });
      if (opts.broken?.(to)) return json(500, { error: 'provider error' });
      const id = randomBytes(8).toString('hex');
      byKey.set(key, id);
      delivered.push({ to, text: body.text, subject: typeof body.subject === 'string' ? body.subject : undefined, key, id, at: new Date() });
      return json(200, { id });
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send`,
    delivered,
    get requests() {
      return requests;
    },
    get duplicates() {
      return duplicates;
    },
    failNext(times, status = 503) {
      failures.push({ times, status });
    },
    setDelay(ms) {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
