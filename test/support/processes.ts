/**
 * Helpers of tests that run the server or a private dependency as a child process: a free port,
 * watching a child's output, waiting for it to exit. (A private redis-server: private-redis.ts.)
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nothing listens on right now (the OS picks it). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Whether something listens on `port` (any interface). */
export const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(true));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(false)));
  });

/** Collects a child's stdout + stderr; `waitFor` resolves when the text matches. */
export function watch(child: ChildProcess) {
  let out = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const on = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) if (w.re.test(out)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  };
  child.stdout?.on('data', on);
  child.stderr?.on('data', on);
  return {
    get text() { return out; },
    waitFor(re: RegExp, ms: number) {
      if (re.test(out)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output:\n${out.slice(-3000)}`)), ms);
        waiters.push({ re, resolve: () => { clearTimeout(t); resolve(); } });
      });
    },
  };
}

/** The child's exit code once it has exited, or 'timeout'. */
export const exited = (child: ChildProcess, ms: number) =>
  new Promise<number | null | 'timeout'>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const t = setTimeout(() => resolve('timeout'), ms);
    child.once('exit', (code) => { clearTimeout(t); resolve(code); });
  });

/**
 * Polls GET /readyz until 200. "listening on" comes before readiness: a process that runs
 * workers first checks whether Redis still holds its jobs (src/jobs/recovery.ts) and says
 * not ready until it knows.
 */
export async function readyWithin(port: number, ms: number): Promise<number> {
  const until = Date.now() + ms;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
    if (status === 200 || Date.now() > until) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
}
