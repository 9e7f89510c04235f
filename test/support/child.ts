/**
 * Child processes of a test (a CLI run as a user runs it, a worker to kill and restart).
 *
 * Their environment is explicit and comes from the test's own config, never from the caller's:
 * an exported REDIS_URL, DATABASE_URL, LOG_LEVEL, NODE_ENV or DEBUG would otherwise send the
 * child to another database, or change what it prints. Only the machine variables a process
 * needs to start (PATH, HOME, TMPDIR) are passed through.
 *
 * Every child is registered until it exits: `stopChildren()` in `afterAll` kills and awaits
 * whatever is still running, so a failing or timed-out test leaves no process behind. A child
 * that lives long (a worker) is also given an IPC channel and exits when it closes, which covers
 * a test process killed before its `afterAll` ran (test/journeys/worker-child.ts).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../src/config.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const MACHINE_VARS = ['PATH', 'HOME', 'TMPDIR'] as const;

/**
 * The config of a child that needs no database or Redis: addresses where nothing listens, so a
 * child that tried to use them would fail loudly instead of touching a real database.
 */
export function noServicesConfig(): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'mysql://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: 'crm_t_none' });
}

/** The whole environment of a child: every variable of `config` (defaults included), plus PATH, HOME and TMPDIR. */
export function childEnv(config: Config, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of MACHINE_VARS) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  for (const [k, v] of Object.entries(config)) if (v !== undefined) env[k] = String(v);
  return { ...env, ...extra };
}

const running = new Set<ChildProcess>();

/** Starts `node --import tsx <args>` in the repository root with exactly `env`; registered until it exits. */
export function spawnTsx(args: string[], env: Record<string, string>, stdio: StdioOptions = 'pipe'): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript entry to completion; killed (code null) after `timeoutMs`. */
export function runTsx(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return completion(spawnTsx(args, env), timeoutMs);
}

/** Runs any command (`redis-cli --cluster create`) to completion; killed (code null) after `timeoutMs`. */
export function runCommand(command: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return completion(spawnCommand(command, args, env), timeoutMs);
}

function completion(child: ChildProcess, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Kills (SIGKILL) every child still running and waits until each has exited. */
export async function stopChildren(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
}

/** Starts any command (`npm start`, `redis-server`) in the repository root with exactly `env`; registered until it exits. */
export function spawnCommand(command: string, args: string[], env: Record<string, string>, stdio: StdioOptions = 'pipe'): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env, stdio });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
