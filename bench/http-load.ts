/**
 * The load tool of `npm run bench:http`: closed-loop HTTP/1.1 over `connections` keep-alive
 * sockets, each sending its next request as soon as the previous answer is complete (no
 * pipelining), for `seconds`. A bare socket writer and a minimal response reader (Content-Length
 * or chunked bodies) so the tool itself costs little CPU: on a 2-core machine the client shares
 * the cores with the server, and a heavy client would cap the baseline (bare Hono) first.
 */
import { connect, type Socket } from 'node:net';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  /** Answers other than 2xx, and requests that failed. */
  errors: number;
  /** 2xx answers with an empty body. */
  empty: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

function encode(port: number, r: LoadRequest): Buffer {
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  let head = `${r.method} ${r.path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: keep-alive\r\n`;
  for (const [k, v] of Object.entries(r.headers ?? {})) if (k.toLowerCase() !== 'content-length') head += `${k}: ${v}\r\n`;
  if (body) head += `content-length: ${body.length}\r\n`;
  head += '\r\n';
  return body ? Buffer.concat([Buffer.from(head), body]) : Buffer.from(head);
}

/** Where the response in `buf` ends (exclusive), its status and whether it had a body, or null when it is not complete yet. */
function complete(buf: Buffer): { end: number; status: number; body: boolean } | null {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const head = buf.subarray(0, headEnd).toString('latin1');
  const status = Number(head.slice(9, 12));
  const len = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (len) {
    const end = headEnd + 4 + Number(len[1]);
    return buf.length >= end ? { end, status, body: Number(len[1]) > 0 } : null;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    let at = headEnd + 4;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.subarray(at, lineEnd).toString('latin1'), 16);
      const next = lineEnd + 2 + size + 2;
      if (buf.length < next) return null;
      if (size === 0) return { end: next, status, body: at > headEnd + 4 };
      at = next;
    }
  }
  return { end: headEnd + 4, status, body: false };
}

/**
 * Runs the load; `make(conn)` builds connection `conn`'s next request. A request answered by
 * nothing for `timeoutMs` (default 10 s) counts as an error and its connection is opened again:
 * a server that stops answering ends the run on time instead of hanging the bench.
 */
export async function closedLoop(o: { port: number; connections: number; seconds: number; make: (conn: number) => LoadRequest; timeoutMs?: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let empty = 0;
  const started = performance.now();
  const until = started + o.seconds * 1000;

  const run = (conn: number) =>
    new Promise<void>((resolve) => {
      let socket: Socket;
      let buf = Buffer.alloc(0);
      let sentAt = 0;
      let done = false;
      const send = () => {
        if (performance.now() >= until) {
          done = true;
          socket.end();
          return;
        }
        buf = Buffer.alloc(0);
        sentAt = performance.now();
        socket.write(encode(o.port, o.make(conn)));
      };
      const open = () => {
        socket = connect(o.port, '127.0.0.1');
        socket.setNoDelay(true);
        socket.setTimeout(o.timeoutMs ?? 10_000, () => {
          errors++;
          socket.destroy();
        });
        socket.on('connect', send);
        socket.on('data', (d) => {
          buf = buf.length ? Buffer.concat([buf, d]) : d;
          const r = complete(buf);
          if (!r) return;
          latencies.push(performance.now() - sentAt);
          if (r.status < 200 || r.status > 299) errors++;
          else if (!r.body) empty++;
          send();
        });
        socket.on('error', () => errors++);
        // A connection the server closed (or that failed) is opened again while the run lasts.
        socket.on('close', () => {
          if (done) return resolve();
          if (performance.now() < until) setTimeout(open, 10);
          else resolve();
        });
      };
      open();
    });

  await Promise.all(Array.from({ length: o.connections }, (_, i) => run(i)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] ?? NaN;
  return { requests: latencies.length, errors, empty, rps: latencies.length / elapsed, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}
