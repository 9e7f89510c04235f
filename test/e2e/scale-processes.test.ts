/**
 * Several processes at once (docs/scale-out.md, "Several web and worker processes"): two
 * `ROLE=web` and two `ROLE=worker` children of `src/main.ts` on one database and Redis prefix.
 * Every answer takes the slow path (reply budget 0: ack empty, push through the outbound queue),
 * so the webs answer and the workers deliver. The same WeCom callback posted to both webs at
 * once is answered once; a confirmation posted to both webs at once, and typed a second time,
 * runs its action once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/channels/types.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { stopChildren } from '../support/child.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { startApp } from '../support/processes.ts';
import { AGENT_ID, callback, keys, SECRET, weComEnv } from '../support/wecom-app.ts';
import { phoneHash } from '../support/sealed-phone.ts';

interface Proc {
  role: 'web' | 'worker';
  port: number;
  out: () => string;
}

let env: TestEnv;
let qy: FakeQyapi;
let procs: Proc[] = [];
const webs = () => procs.filter((p) => p.role === 'web');

async function start(role: Proc['role']): Promise<Proc> {
  const app = await startApp(env.config, { ROLE: role }, { timeoutMs: 120_000 });
  return { role, port: app.port, out: () => app.out.text };
}

const deliver = (p: Proc, req: RawRequest) => fetch(`http://127.0.0.1:${p.port}/wecom/callback?${new URLSearchParams(req.query)}`, { method: 'POST', body: req.body, headers: req.headers });
const pushes = (match: RegExp) => qy.sent.filter((m) => m.touser === 'store_manager_01' && match.test(m.content));

/** Until nothing is left to do: no outbound or answer job waiting, delayed or running, three looks in a row. */
async function settled(ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  let idle = 0;
  while (idle < 3) {
    if (Date.now() > until) throw new Error(`queues did not settle; output:\n${procs.map((p) => `--- ${p.role}:${p.port}\n${p.out().slice(-1500)}`).join('\n')}`);
    const counts = await Promise.all([env.services.queues.outbound, env.services.queues.inboxAnswer].map((q) => q.getJobCounts('waiting', 'delayed', 'active', 'prioritized')));
    const busy = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
    idle = busy === 0 ? idle + 1 : 0;
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  qy = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  env = await createTestEnv('e2e_scale_procs', {
    ...weComEnv(qy.url),
    WECOM_REPLY_BUDGET_MS: '0',
    // INBOX_LEASE_MS stays at its default (6 s): a claim whose process stalls longer than the lease
    // is taken over by design, and a cold process on a loaded machine stalled past a 1 s lease here.
  });
  await seedDemo(env.services.sql, { members: 60, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
  procs = await Promise.all([start('web'), start('web'), start('worker'), start('worker')]);
  // Each web answers once first (models and intents loaded), as a web in service has.
  await Promise.all(webs().map((w, i) => deliver(w, callback('我的积分', `69999${i}`))));
  await settled(60_000);
}, 300_000);

afterAll(async () => {
  await stopChildren();
  await env?.cleanup();
  await qy?.close();
});

describe('two web and two worker processes', () => {
  it('answer the same callback, delivered to both webs at once, once', async () => {
    const audits = async () => Number(((await env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM audit_logs'))[0][0] as any).n);
    const before = await audits();
    const req = callback('查一下 13800000001', '700001');
    const res = await Promise.all(webs().map((w) => deliver(w, req)));
    expect(res.map((r) => r.status)).toEqual([200, 200]);
    expect(await Promise.all(res.map((r) => r.text()))).toEqual(['', '']); // acked; the answer is pushed
    await settled();
    expect(pushes(/M00000001/)).toHaveLength(1);
    const [auditRows] = await env.services.sql.query<any[]>('SELECT action, target_type, target_id, channel, request_id FROM audit_logs ORDER BY id DESC LIMIT 5');
    expect(await audits(), JSON.stringify(auditRows)).toBe(before + 1);
    const [rows] = await env.services.sql.query<any[]>("SELECT state FROM inbound_messages WHERE message_id = '700001'");
    expect(rows.map((r) => r.state)).toEqual(['answered']);
  });

  it('run a confirmed action once when 确认 reaches both webs at once and is typed again', async () => {
    const memberId = Number(((await env.services.sql.query<any[]>('SELECT id FROM members WHERE phone_hash = ?', [phoneHash('13800000001')]))[0][0] as any).id);
    const ledger = async () => Number(((await env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM points_ledger WHERE member_id = ?', [memberId]))[0][0] as any).n);
    const before = await ledger();
    await deliver(webs()[0]!, callback('给 13800000001 加 2000 积分 原因 活动补偿', '700002'));
    await settled();
    const held = pushes(/加 2,000 积分/);
    expect(held, JSON.stringify(qy.sent.map((m) => m.content))).toHaveLength(1);
    const code = /编号 (\d{4})/.exec(held[0]!.content)?.[1];
    expect(code, held[0]!.content).toBeDefined();
    expect(await ledger()).toBe(before);

    const confirm = callback(`确认 ${code}`, '700003');
    const again = callback(`确认 ${code}`, '700004');
    const res = await Promise.all([deliver(webs()[0]!, confirm), deliver(webs()[1]!, confirm), deliver(webs()[1]!, again)]);
    expect(res.map((r) => r.status)).toEqual([200, 200, 200]);
    await settled();
    expect(await ledger()).toBe(before + 1);
    expect(pushes(/已给.*2,000 积分/)).toHaveLength(1);
    // One answer per distinct message: the confirmation and the repeat (which finds nothing left to confirm).
    const [rows] = await env.services.sql.query<any[]>("SELECT message_id, state FROM inbound_messages WHERE message_id IN ('700003', '700004') ORDER BY message_id");
    expect(rows.map((r) => [r.message_id, r.state])).toEqual([
      ['700003', 'answered'],
      ['700004', 'answered'],
    ]);
    const mine = qy.sent.filter((m) => m.touser === 'store_manager_01');
    expect(mine.filter((m) => m.msgtype !== 'template_card')).toHaveLength(6); // 2 warm-ups, the lookup, the preview, the confirmation, the repeat
    expect(mine.filter((m) => m.msgtype === 'template_card')).toHaveLength(1); // the preview's confirm card, once across both webs
  });
});
