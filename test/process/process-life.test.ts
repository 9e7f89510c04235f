/**
 * Process life (docs/guides/administrator.md, "Start and stop"): `npm start` stops on SIGTERM
 * with its port freed and no child left; MySQL or Redis down at start is one readable line per
 * attempt and the start completes when they come back; no secret reaches the log.
 *
 * Redis here is a PRIVATE redis-server on a free port that this file starts and stops; the
 * machine's shared Redis and MariaDB are never stopped. "MySQL down" is a port where nothing listens.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, spawnCommand, spawnTsx, stopChildren } from '../support/child.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import { exited, freePort, portOpen, readyWithin, startApp, watch } from '../support/processes.ts';

/** Every descendant pid of `pid` (ps, so no extra tool is needed). */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  const walk = (p: number) => { for (const [c, pp] of rows) if (pp === p) { out.push(c!); walk(c!); } };
  walk(pid);
  return out;
}
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

let env: TestEnv;
beforeAll(async () => { env = await createTestEnv('proclife'); }, 180_000);
afterAll(async () => {
  await stopChildren();
  await env?.cleanup();
});

const STACK = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

describe('npm start and signals', () => {
  it('after kill -TERM of the npm process the port is free and every child is gone within 10 s', async () => {
    const port = await freePort();
    const npm = spawnCommand('npm', ['start', '--silent'], childEnv(env.config, { PORT: String(port), SEED_DEMO: 'never', LOG_LEVEL: 'info' }));
    const out = watch(npm);
    await out.waitFor(/listening on/, 90_000);
    const tree = descendants(npm.pid!);
    expect(tree.length).toBeGreaterThan(0);
    npm.kill('SIGTERM');
    const t0 = Date.now();
    const code = await exited(npm, 10_000);
    while (Date.now() - t0 < 10_000 && (tree.some(alive) || (await portOpen(port)))) await new Promise((r) => setTimeout(r, 200));
    expect(code).not.toBe('timeout');
    expect(tree.filter(alive)).toEqual([]);
    expect(await portOpen(port)).toBe(false);
    expect(out.text).toMatch(/stopped/);
  }, 120_000);
});

/** A console message whose body is only half sent: a request in flight until `finish()`. */
async function halfSentRequest(port: number): Promise<{ socket: Socket; finish(): void; response: Promise<string> }> {
  const body = JSON.stringify({ from: 'proclife-user', text: '帮助' });
  const socket = connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  let got = '';
  const response = new Promise<string>((resolve) => {
    socket.on('data', (d) => (got += d.toString()));
    socket.on('close', () => resolve(got));
    socket.on('error', () => resolve(got));
  });
  socket.write(`POST /console/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`);
  const bytes = Buffer.from(body);
  socket.write(bytes.subarray(0, 10));
  return { socket, response, finish: () => void socket.write(bytes.subarray(10)) };
}

/** A started server, a request half sent to it, then SIGTERM: the stop has begun. */
async function stopWithRequestInFlight() {
  const { child: app, port, out } = await startApp(env.config);
  const req = await halfSentRequest(port);
  await new Promise((r) => setTimeout(r, 300));
  app.kill('SIGTERM');
  await out.waitFor(/shutting down/, 5000);
  return { port, app, out, req };
}

describe('graceful stop', () => {
  it('SIGTERM: new connections refused, the request in flight is answered, exit 0', async () => {
    const { port, app, out, req } = await stopWithRequestInFlight();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    req.finish();
    expect(await req.response).toMatch(/^HTTP\/1\.1 \d{3}/);
    expect(await exited(app, 10_000)).toBe(0);
    expect(out.text).toMatch(/"msg":"stopped"/);
  }, 90_000);

  it('a second signal during the stop exits at once', async () => {
    const { app, out, req } = await stopWithRequestInFlight();
    const t0 = Date.now();
    app.kill('SIGINT');
    expect(await exited(app, 2000)).toBe(1);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(out.text).toMatch(/second signal/);
    req.socket.destroy();
  }, 90_000);
});

describe('dependencies unreachable', () => {
  it('Redis down at start: one line per attempt, no stack, starts when Redis comes back, stops while Redis is down', async () => {
    const redisPort = await freePort();
    const port = await freePort();
    const password = 'redisPw-Zq81xV';
    const app = spawnTsx(['src/main.ts'], childEnv(env.config, { PORT: String(port), SEED_DEMO: 'never', LOG_LEVEL: 'info', REDIS_URL: `redis://:${password}@127.0.0.1:${redisPort}` }));
    const out = watch(app);
    await out.waitFor(/Redis unreachable[\s\S]*Redis unreachable/, 30_000);
    expect(out.text).not.toMatch(/listening on/);
    const redis = await startPrivateRedis({ port: redisPort, password });
    await out.waitFor(/listening on/, 30_000);
    expect(await readyWithin(port, 20_000)).toBe(200);

    // Redis goes away during the run: /readyz says so, the log says so in a line, no stack loop.
    await redis.stop();
    const mark = out.text.length;
    await new Promise((r) => setTimeout(r, 4000));
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
    const during = out.text.slice(mark);
    expect(during).not.toMatch(STACK);
    expect(during.split('\n').filter((l) => /Redis/.test(l)).length).toBeLessThan(20);

    app.kill('SIGTERM');
    expect(await exited(app, 10_000)).toBe(0);
    expect(out.text).not.toMatch(STACK);
    expect(out.text).not.toContain(password);
  }, 120_000);

  it('MySQL down at start: one line per attempt, no stack, no password in the log', async () => {
    const dbPort = await freePort();
    const port = await freePort();
    const password = 'dbPw-Kk27Lm';
    const app = spawnTsx(['src/main.ts'], childEnv(env.config, { PORT: String(port), SEED_DEMO: 'never', LOG_LEVEL: 'info', DATABASE_URL: `mysql://root:${password}@127.0.0.1:${dbPort}/nothing_here` }));
    const out = watch(app);
    await out.waitFor(/MySQL unreachable[\s\S]*MySQL unreachable/, 30_000);
    expect(out.text).not.toMatch(STACK);
    expect(out.text).not.toContain(password);
    expect(app.exitCode).toBeNull();
    app.kill('SIGTERM');
    expect(await exited(app, 10_000)).toBe(0);
  }, 180_000);
});

describe('secrets in the log', () => {
  it('the start-up line names REDIS_URL and DATABASE_URL without their passwords, and no secret value appears', async () => {
    const redisPort = await freePort();
    const password = 'startPw-Ux93Qa';
    const redis = await startPrivateRedis({ port: redisPort, password });
    const secrets = { LLM_API_KEY: 'sk-llmSecret-4471', ADMIN_TOKEN: 'adminTok-99812x', WECOM_SECRET: 'wecomSecret-33aa' };
    const { child: app, out } = await startApp(env.config, { LOG_LEVEL: 'debug', REDIS_URL: `redis://:${password}@127.0.0.1:${redisPort}`, ...secrets });
    app.kill('SIGTERM');
    await exited(app, 10_000);
    await redis.stop();
    expect(out.text).toMatch(/"REDIS_URL":"redis:\/\/:\*\*\*@127\.0\.0\.1/);
    expect(out.text).not.toContain(password);
    for (const v of Object.values(secrets)) expect(out.text).not.toContain(v);
  }, 90_000);
});
