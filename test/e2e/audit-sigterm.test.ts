/**
 * The audit is a legal record (docs/api.md): a chat turn's audit row is group-committed while the
 * turn goes on (src/crm/kernel/audit.ts), and the answer is given only once it has committed. Here
 * the server (a child process) gets a burst of signed WeCom look-ups from many staff members and
 * is sent SIGTERM while they are under way: every look-up answered — passively on its request, or
 * recorded as answered in the inbox — has its audit row, and no row is missing after the exit.
 */
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPhone } from '../../src/crm/customers/index.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { stopChildren } from '../support/child.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { startApp } from '../support/processes.ts';
import { readPassiveReply } from '../support/wecom-callback-builder.ts';
import { AGENT_ID, keys, SECRET, weComEnv } from '../support/wecom-app.ts';
import { signedCallback } from '../support/wecom-traffic.ts';
import { seedDemo } from '../../src/demo/index.ts';

const USERS = 40;
let env: TestEnv;
let qy: FakeQyapi;
let phones: string[];

beforeAll(async () => {
  qy = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  env = await createTestEnv('e2e_audit_sigterm', { ...weComEnv(qy.url), WECOM_REPLY_BUDGET_MS: '4000' });
  const sql = env.services.sql;
  await seedDemo(sql, { members: 200, seed: 5, now: new Date('2026-11-01T00:00:00Z') });
  const [staff] = await sql.query<ResultSetHeader>('INSERT INTO staff (wecom_user_id, name, role) VALUES ?', [Array.from({ length: USERS }, (_, i) => [`as_u${i}`, `店长${i}`, 'store_manager'])]);
  await sql.query('INSERT INTO staff_stores (staff_id, store_id) VALUES ?', [Array.from({ length: USERS }, (_, i) => [staff.insertId + i, 1])]);
  const [rows] = await sql.query<RowDataPacket[]>("SELECT phone_enc FROM members WHERE home_store_id = 1 AND status = 'active' ORDER BY id LIMIT 50");
  phones = rows.map((r) => openPhone(String(r.phone_enc)));
}, 300_000);

afterAll(async () => {
  await stopChildren();
  await env?.cleanup();
  await qy?.close();
});

describe('audit rows across a SIGTERM', () => {
  it('every look-up answered before the process exited has its audit row', { timeout: 600_000 }, async () => {
    const app = await startApp(env.config, { ROLE: 'web' }, { wait: 'ready', timeoutMs: 240_000 });
    const lookup = async (user: number, n: number) => {
      const r = signedCallback(keys, { from: `as_u${user}`, text: `查一下 ${phones[n % phones.length]}`, msgId: String(8_100_000_000 + n) });
      try {
        const res = await fetch(`http://127.0.0.1:${app.port}${r.path}`, { method: 'POST', body: r.body, headers: r.headers });
        const body = await res.text();
        return res.status === 200 && body ? String(readPassiveReply(keys, { status: res.status, contentType: '', body }).Content ?? '') : null;
      } catch {
        return null; // the connection closed by the stop
      }
    };
    // A process in service has answered before (the router's model loaded).
    expect(await lookup(0, 0)).toMatch(/M\d{8}/);
    // Each staff member sends look-ups one after another; SIGTERM lands in the middle of them.
    let n = 1;
    let stopping = false;
    const answers: (string | null)[] = [];
    const senders = Array.from({ length: USERS }, async (_, u) => {
      while (!stopping) answers.push(await lookup(u, n++));
    });
    await new Promise((r) => setTimeout(r, 1500));
    stopping = true;
    const code = await app.stop('SIGTERM', 20_000);
    await Promise.all(senders);

    const sql = env.services.sql;
    const [[{ answered }]] = await sql.query<any[]>("SELECT COUNT(*) AS answered FROM inbound_messages WHERE channel = 'wecom' AND state = 'answered'");
    const [[{ audited }]] = await sql.query<any[]>("SELECT COUNT(*) AS audited FROM audit_logs WHERE action = 'member.lookup' AND actor_id LIKE 'as\\_u%'");
    const given = answers.filter((a) => a && /M\d{8}/.test(a)).length + 1;
    console.info(`audit-sigterm: exit ${code}; ${answers.length + 1} look-ups sent, ${given} answered on their request, ${answered} answered in the inbox, ${audited} audit rows`);
    expect(code).toBe(0);
    expect(given).toBeGreaterThan(1);
    // Every answer recorded (and every answer given) has its row: one look-up audits one read.
    expect(Number(audited)).toBeGreaterThanOrEqual(Number(answered));
    expect(Number(answered)).toBeGreaterThanOrEqual(given);
  });
});
