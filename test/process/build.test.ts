/**
 * The production build (docs/deployment.md): `npm run build` compiles src/ to JavaScript that
 * runs with plain `node` (no tsx), and ROLE splits the HTTP edge from the queue workers. The
 * build goes to a directory of this file's own beside dist/ (the compiled migration runner finds
 * prisma/migrations one level above it, as it does from dist/), removed afterwards.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, ROOT, stopChildren } from '../support/child.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { exited, freePort, readyWithin, watch } from '../support/processes.ts';

const OUT = `dist-test-${process.pid}`;
let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv('build');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', OUT], { cwd: ROOT, stdio: 'pipe' });
  execFileSync(process.execPath, ['scripts/copy-build-assets.mjs', '--out', OUT], { cwd: ROOT, stdio: 'pipe' });
}, 240_000);

afterAll(async () => {
  await stopChildren();
  rmSync(join(ROOT, OUT), { recursive: true, force: true });
  await env?.cleanup();
});

/** `node <build>/main.js` with exactly `vars` (no tsx loader anywhere). */
function startBuilt(vars: Record<string, string>) {
  const child = spawn(process.execPath, [join(OUT, 'main.js')], { cwd: ROOT, env: vars, stdio: 'pipe' });
  return { child, out: watch(child) };
}

/** How many BullMQ workers listen on the outbound queue (the worker role's; none for web). */
async function outboundWorkers(): Promise<number> {
  const q = new Queue('outbound', { connection: env.services.bullRedis, prefix: env.config.REDIS_PREFIX });
  try {
    return (await q.getWorkers()).length;
  } finally {
    await q.close();
  }
}

async function stop(child: ReturnType<typeof spawn>) {
  child.kill('SIGTERM');
  expect(await exited(child, 10_000)).toBe(0);
}

describe('npm run build → node dist/main.js', () => {
  it('ROLE=web serves the console and API and runs no queue worker', async () => {
    const port = await freePort();
    const web = startBuilt(childEnv(env.config, { PORT: String(port), SEED_DEMO: 'never', LOG_LEVEL: 'info', ROLE: 'web' }));
    await web.out.waitFor(/listening on/, 60_000);
    expect(web.out.text).toContain('"role":"web"');
    const reply = await fetch(`http://127.0.0.1:${port}/console/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'nobody_here', text: '帮助' }) });
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { outcome: string }).outcome).toBe('declined'); // an unregistered sender, answered by the compiled pipeline
    expect(await outboundWorkers()).toBe(0);
    await stop(web.child);
  }, 90_000);

  it('ROLE=worker runs the queue workers and answers only health checks over HTTP; settings come from ENV_FILE', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'crm-build-'));
    writeFileSync(join(dir, 'worker.env'), `PORT=${port}\nROLE=worker\n`);
    const vars = childEnv(env.config, { SEED_DEMO: 'never', LOG_LEVEL: 'info', ENV_FILE: join(dir, 'worker.env') });
    delete vars.PORT;
    delete vars.ROLE;
    const worker = startBuilt(vars);
    await worker.out.waitFor(/listening on/, 60_000);
    expect(worker.out.text).toContain('"role":"worker"');
    expect(worker.out.text).toContain(`"port":${port}`);
    expect(await readyWithin(port, 20_000)).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/console/messages`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(await outboundWorkers()).toBeGreaterThan(0);
    await stop(worker.child);
  }, 90_000);
});
