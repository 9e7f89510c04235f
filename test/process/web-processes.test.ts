/**
 * WEB_PROCESSES=2 (src/http/web-processes.ts, docs/scale-out.md "Several web processes on one
 * machine"): one supervisor and two servers on one port; both answer; a process that dies is
 * started again; SIGTERM stops them all with exit 0 and the port freed; SIGKILL of the
 * supervisor takes its processes with it.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopChildren } from '../support/child.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { exited, portOpen, startApp } from '../support/processes.ts';

/** The node processes `pid` started (under tsx each also has an esbuild child, not counted). */
const children = (pid: number): number[] =>
  execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, pp, comm]) => Number(pp) === pid && comm === 'node')
    .map(([c]) => Number(c));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (ok: () => boolean | Promise<boolean>, ms: number) => {
  const t = Date.now();
  while (!(await ok()) && Date.now() - t < ms) await new Promise((r) => setTimeout(r, 200));
};
/** A console message on a connection of its own (so the supervisor hands each to the next process). */
const say = (port: number, from: string, text: string) =>
  fetch(`http://127.0.0.1:${port}/console/messages`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ from, text }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { reply?: string } }));

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv('webprocs');
}, 180_000);
afterAll(async () => {
  await stopChildren();
  await env?.cleanup();
});

describe('WEB_PROCESSES=2', () => {
  it('serves from two processes on one port, restarts one that dies, and stops all on SIGTERM', async () => {
    const app = await startApp(env.config, { WEB_PROCESSES: '2', ROLE: 'all' }, { wait: 'ready', timeoutMs: 240_000 });
    const supervisor = app.child.pid!;
    await until(() => children(supervisor).length === 2 && /listening on[\s\S]*listening on/.test(app.out.text), 120_000);
    const procs = children(supervisor);
    expect(procs).toHaveLength(2);
    expect(app.out.text.match(/listening on/g)).toHaveLength(2);
    // Only process 0 runs the queue workers (ROLE=all → the others are web).
    expect(app.out.text).toMatch(/"role":"all"[^\n]*listening on/);
    expect(app.out.text).toMatch(/"role":"web"[^\n]*listening on/);

    // New connections go to the processes in turn: every answer is a real one.
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => say(app.port, 'store_manager_01', i % 2 ? '帮助' : 'help')));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.reply?.length).toBeGreaterThan(0);
    }

    // A process that dies is started again.
    process.kill(procs[1]!, 'SIGKILL');
    await until(() => /web process exited: starting it again/.test(app.out.text) && (app.out.text.match(/listening on/g) ?? []).length === 3, 180_000);
    expect(app.out.text).toMatch(/web process exited: starting it again/);
    expect(app.out.text.match(/listening on/g)).toHaveLength(3);
    const after = children(supervisor);
    expect(after, app.out.text.slice(-3000)).toHaveLength(2);
    expect(after).not.toContain(procs[1]);
    expect((await say(app.port, 'store_manager_01', '帮助')).status).toBe(200);

    const now = children(supervisor);
    const t0 = Date.now();
    expect(await app.stop('SIGTERM', 15_000)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(12_000);
    expect(now.filter(alive)).toEqual([]);
    expect(await portOpen(app.port)).toBe(false);
    expect(app.out.text.match(/"msg":"stopped"/g)).toHaveLength(2);
  }, 420_000);

  it('a SIGKILLed supervisor takes its processes with it', async () => {
    const app = await startApp(env.config, { WEB_PROCESSES: '2', ROLE: 'web' }, { timeoutMs: 240_000 });
    const supervisor = app.child.pid!;
    await until(() => children(supervisor).length === 2 && (app.out.text.match(/listening on/g) ?? []).length === 2, 120_000);
    const procs = children(supervisor);
    expect(procs).toHaveLength(2);
    app.child.kill('SIGKILL');
    await exited(app.child, 5000);
    await until(() => !procs.some(alive), 15_000);
    expect(procs.filter(alive)).toEqual([]);
    await until(async () => !(await portOpen(app.port)), 5000);
    expect(await portOpen(app.port)).toBe(false);
  }, 300_000);
});
