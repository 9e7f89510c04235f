/**
 * A SIGTERM restart under load (docs/operations.md, "Restarting the server"): the
 * server runs in a child process and gets steady WeCom traffic — signed callbacks from many staff
 * users, a quarter of them on the slow path (the answer takes longer than the reply budget: a slow
 * LLM, LLM_ROUTING=first) — with WeCom's re-sends (test/support/wecom-traffic.ts). Mid-traffic it
 * is sent SIGTERM and started again on the same port, as a deploy does. Every message must be
 * answered exactly once, the old process must exit (0) within 10 s, and its log must hold no
 * "Pool is closed" / EPIPE (a pool closed under a request still running).
 */
import type { ResultSetHeader } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { stopChildren } from '../support/child.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { freePort, startApp, type AppChild } from '../support/processes.ts';
import { AGENT_ID, keys, SECRET, weComEnv } from '../support/wecom-app.ts';
import { answerCounts, startTraffic } from '../support/wecom-traffic.ts';

const USERS = 400;
const SLOW_MS = 5000; // longer than the reply budget (3.5 s by default): the slow path
const isSlow = (n: number) => n % 4 === 3;
const user = (n: number) => `sigterm_u${n % USERS}`;

let env: TestEnv;
let qy: FakeQyapi;
let llm: FakeOpenAI;
const apps: AppChild[] = [];

beforeAll(async () => {
  qy = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  llm = await startFakeOpenAI();
  // A slow answer for the slow-path texts, a quick one for the others.
  llm.respond((body) => ({ kind: 'text', content: '好的', delayMs: JSON.stringify(body.messages).includes('一下') ? SLOW_MS : 0 }));
  env = await createTestEnv('e2e_sigterm_load', {
    ...weComEnv(qy.url),
    LLM_BASE_URL: llm.baseURL,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'deepseek-chat',
    LLM_ROUTING: 'first',
    LLM_TIMEOUT_MS: '20000',
  });
  const sql = env.services.sql;
  const [store] = await sql.query<ResultSetHeader>("INSERT INTO stores (code, name, city) VALUES ('SG1', '重启店', '上海')");
  const [staff] = await sql.query<ResultSetHeader>('INSERT INTO staff (wecom_user_id, name, role) VALUES ?', [Array.from({ length: USERS }, (_, i) => [`sigterm_u${i}`, `店长${i}`, 'store_manager'])]);
  await sql.query('INSERT INTO staff_stores (staff_id, store_id) VALUES ?', [Array.from({ length: USERS }, (_, i) => [staff.insertId + i, store.insertId])]);
}, 120_000);

afterAll(async () => {
  await stopChildren();
  await env?.cleanup();
  await qy?.close();
  await llm?.close();
});

describe('SIGTERM while callbacks are in flight', () => {
  it('answers every message exactly once after the restart; the old process exits within 10 s without pool errors', { timeout: 600_000 }, async () => {
    // A rolling restart, as behind a load balancer: the new process is started and ready before
    // the old one gets SIGTERM, and WeCom's deliveries move to it a moment later. (A restart on
    // the same port measures the cold start against WeCom's 15 s of re-sends instead: that is
    // bench:faults' "term" row.)
    let port = await freePort();
    apps.push(await startApp(env.config, {}, { port, wait: 'ready', timeoutMs: 240_000 }));
    // A process in service has answered before (models and intents loaded).
    for (const [i, text] of ['帮助', '帮我看一下'].entries()) {
      await startTraffic({ port: () => port, keys, from: () => `sigterm_u${USERS - 1 - i}`, text: () => text, rate: 10, max: 1, idPrefix: `7299${i}` }).settled();
    }
    const traffic = startTraffic({
      port: () => port,
      keys,
      from: user,
      text: (n) => (isSlow(n) ? '帮我看一下' : '帮助'),
      rate: 6,
      max: 120, // 20 s of traffic at least: before, during and after the stop
      idPrefix: '7300',
    });
    await new Promise((r) => setTimeout(r, 4000)); // steady traffic, slow answers under way
    apps.push(await startApp(env.config, {}, { wait: 'ready', timeoutMs: 240_000 }));
    const old = apps[0]!;
    const t0 = Date.now();
    const stopped = old.stop('SIGTERM', 12_000);
    await new Promise((r) => setTimeout(r, 500)); // the balancer notices
    port = apps[1]!.port;
    const code = await stopped;
    const stopMs = Date.now() - t0;
    // Traffic goes on after the stop (into the new process) until all of it is sent: the count no
    // longer depends on how long the new process took to start (a faster start sent fewer).
    while (traffic.messages.length < 120) await new Promise((r) => setTimeout(r, 200));
    await traffic.settled();
    // Slow answers come by push (the inbox's answer job waits out the lease): give them time.
    const until = Date.now() + 40_000;
    while (Date.now() < until && answerCounts(traffic.messages, qy.sent).never.length > 0) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 3000)); // nothing more comes

    const counts = answerCounts(traffic.messages, qy.sent);
    const oldLog = old.out.text;
    if (process.env.SIGTERM_LOAD_LOG) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(process.env.SIGTERM_LOAD_LOG, `${oldLog}\n----- new process -----\n${apps[1]!.out.text}`);
    }
    const trouble = oldLog.split('\n').filter((l) => /Pool is closed|EPIPE|Connection is closed/.test(l));
    const describe = (ids: string[]) => ids.map((id) => {
      const m = traffic.messages.find((x) => x.msgId === id)!;
      return `${id} (${m.text}) deliveries ${m.deliveries.map((d) => `${d.outcome}@${d.at - t0}ms`).join(', ')}; pushes ${qy.sent.filter((p) => p.touser === m.from).length}`;
    });
    // Told apart in the line below: a message whose every delivery was over before the SIGTERM was
    // lost to a server too slow to answer within WeCom's 5 s (an overloaded machine), not to the stop.
    const before = counts.never.filter((id) => traffic.messages.find((m) => m.msgId === id)!.deliveries.every((d) => d.end < t0)).length;
    console.info(`sigterm-load: ${counts.total} messages (${traffic.messages.filter((m) => m.text !== '帮助').length} slow), SIGTERM → exit ${code} in ${stopMs} ms; answered once ${counts.once}, never ${counts.never.length} (${before} of them with every delivery over before the SIGTERM), twice ${counts.twice.length}; "Pool is closed"/EPIPE lines ${trouble.length}`);
    expect({ never: describe(counts.never), twice: describe(counts.twice) }).toEqual({ never: [], twice: [] });
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(10_000);
    expect(trouble).toEqual([]);
    expect(counts.total).toBeGreaterThan(50);
  });
});
