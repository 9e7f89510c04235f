/**
 * Helpers of tests that run the server or a private dependency as a child process: a free port,
 * watching a child's output, waiting for it to exit, and `startApp` — the one way tests and
 * benches start `src/main.ts` as a child and wait for it. (A private redis-server: private-redis.ts.)
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Config } from '../../src/config.ts';
import { childEnv, spawnCommand, spawnTsx } from './child.ts';

/**
 * A port nothing listens on right now, for a child that binds it later. Picked below the kernel's
 * ephemeral range (net.ipv4.ip_local_port_range, 32768–60999 here): a port the OS hands out for
 * `listen(0)` is also what it hands out as the local port of outgoing connections, so in the
 * seconds before the child binds it, any client socket of a parallel test could take it (CI saw
 * `EADDRINUSE` on a port picked this way while the app waited for Redis).
 */
export const freePort = async (): Promise<number> => {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!(await portOpen(port))) return port;
  }
  throw new Error('no free port between 20000 and 32000 after 200 tries');
};

/** Whether something listens on `port` (any interface). */
export const portOpen = (port: number): Promise<boolean> =>
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

/**
 * Resolves once the port answers HTTP at all (any status): the server is listening. Polled
 * rather than read from the log, so a child started with LOG_LEVEL=warn or silent is seen too.
 */
async function listeningWithin(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const answered = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
    if (answered) return;
    if (Date.now() > until) throw new Error(`nothing listened on :${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface AppChild {
  child: ChildProcess;
  port: number;
  /** Its stdout + stderr so far, and waits on it. */
  out: ReturnType<typeof watch>;
  /** Signals it and waits until it has exited: its exit code, or 'timeout' (then it is SIGKILLed). */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | null | 'timeout'>;
}

/**
 * Starts the server (`node --import tsx src/main.ts`) as a child with `config` as its whole
 * environment (test/support/child.ts) plus `extra`, on a free port (or `opts.port`), with
 * SEED_DEMO=never and LOG_LEVEL=info unless `extra` says otherwise. Resolves once its port
 * answers HTTP (whatever the log level) — or, with `wait: 'ready'`, once /readyz answers 200 (a process that runs
 * workers first checks whether Redis kept its jobs). A child that exits before is an error.
 * `entry: 'dist'` runs the compiled build instead (`node dist/main.js`, what `npm run start:prod`
 * and the Dockerfile run; `npm run build` first). `nodeArgs` go to node before the entry (`--cpu-prof`,
 * which NODE_OPTIONS does not allow). `distDir`: another compiled build's directory (a same-run comparison of two builds).
 */
export async function startApp(config: Config, extra: Record<string, string> = {}, opts: { port?: number; wait?: 'listening' | 'ready'; timeoutMs?: number; entry?: 'tsx' | 'dist'; distDir?: string; nodeArgs?: string[] } = {}): Promise<AppChild> {
  const port = opts.port ?? (await freePort());
  const ms = opts.timeoutMs ?? 90_000;
  const env = childEnv(config, { PORT: String(port), SEED_DEMO: 'never', LOG_LEVEL: 'info', ...extra });
  const nodeArgs = opts.nodeArgs ?? [];
  const child = opts.entry === 'dist' ? spawnCommand(process.execPath, [...nodeArgs, `${opts.distDir ?? 'dist'}/main.js`], env) : spawnTsx([...nodeArgs, 'src/main.ts'], env);
  const out = watch(child);
  const app: AppChild = {
    child,
    port,
    out,
    async stop(signal = 'SIGTERM', stopMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const code = await exited(child, stopMs);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        await exited(child, 5000);
      }
      return code;
    },
  };
  const early = new Promise<never>((_, reject) => child.once('exit', (code, sig) => reject(new Error(`the server exited before it was up (${code ?? sig}):\n${out.text.slice(-3000)}`))));
  early.catch(() => undefined);
  const t0 = Date.now();
  await Promise.race([listeningWithin(port, ms), early]);
  if (opts.wait === 'ready') {
    const status = await Promise.race([readyWithin(port, Math.max(1000, ms - (Date.now() - t0))), early]);
    if (status !== 200) throw new Error(`the server was not ready (/readyz ${status}):\n${out.text.slice(-3000)}`);
  }
  return app;
}
