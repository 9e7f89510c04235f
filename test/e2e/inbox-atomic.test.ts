/**
 * A message's write and its inbox completion are one transaction (src/bot/inbox/claim.ts, the
 * kernel's withSharedTransaction; docs/wecom.md, "What happens on a crash or a retry"). The server
 * runs in a child process whose Redis goes through a relay the test controls: it slows every
 * Redis answer, so once the tag write has reached MySQL (committed, or pending in an open
 * transaction of the child's, read uncommitted) the turn is still busy with its Redis steps after the write — the
 * test then freezes the relay and kills the process (SIGKILL) between the write and the
 * completion. WeCom's retry, to a fresh process, must leave the write done exactly once (one tag
 * row, one audit row) and answer; a retry of the answered message gets the recorded answer.
 * Before the change the write committed on its own and the retry ran it again: its INSERT found
 * the killed process's row (audited `changed: false`, answered as already tagged), and the killed
 * process's own audit row could be missing.
 */
import type { ChildProcess } from 'node:child_process';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../src/channels/types.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { childEnv, spawnTsx, stopChildren } from '../support/child.ts';
import { createFixture, type Fixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { freePort } from '../support/processes.ts';
import { startTcpRelay, type TcpRelay } from '../support/tcp-relay.ts';
import { readPassiveReply } from '../support/wecom-callback-builder.ts';
import { AGENT_ID, callback, keys, SECRET, weComEnv } from '../support/wecom-app.ts';
import { waitFor as shared } from '../support/wait-for.ts';

const LEASE_MS = 1500;

let env: TestEnv;
let fx: Fixture;
let qy: FakeQyapi;
let server: { child: ChildProcess; port: number; out: () => string } | undefined;

let relay: TcpRelay;

/** The shared poll, with the server's last output in its error. */
const waitFor = (probe: () => boolean | Promise<boolean>, ms: number, what: string, everyMs = 100) =>
  shared(probe, ms, () => `${what}; server output:\n${server?.out().slice(-3000) ?? ''}`, everyMs);

async function startServer(redisUrl: string) {
  const port = await freePort();
  const child = spawnTsx(['src/main.ts'], childEnv(env.config, { PORT: String(port), SEED_DEMO: 'never', LOG_LEVEL: 'info', REDIS_URL: redisUrl }));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  server = { child, port, out: () => out };
  await waitFor(() => /listening on/.test(out), 60_000, 'the server to listen');
}

async function kill() {
  const child = server!.child;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
  server = undefined;
}

const deliver = (req: RawRequest) => fetch(`http://127.0.0.1:${server!.port}/wecom/callback?${new URLSearchParams(req.query)}`, { method: 'POST', body: req.body, headers: req.headers });
const rows = async (sql: string, params: unknown[] = []) => (await env.services.sql.query<RowDataPacket[]>(sql, params))[0];
const auditRows = () => rows("SELECT id, detail FROM audit_logs WHERE action = 'tag.add' AND target_id = ?", [String(fx.memberIds.M00000001)]);
const tagRows = () => rows("SELECT mt.member_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = '高价值' AND mt.member_id = ?", [fx.memberIds.M00000001]);
/**
 * The write has reached MySQL: the tag row is there, committed or not yet (a connection reading
 * uncommitted rows sees a write pending in the child's open transaction).
 */
let dirty: PoolConnection;
const written = async () =>
  (await dirty.query<RowDataPacket[]>("SELECT 1 FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = '高价值' AND mt.member_id = ?", [fx.memberIds.M00000001]))[0].length > 0;

beforeAll(async () => {
  qy = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
  env = await createTestEnv('e2e_inbox_atomic', {
    ...weComEnv(qy.url),
    // Long enough that the slowed first delivery answers on the request (the passive path).
    WECOM_REPLY_BUDGET_MS: '60000',
    INBOX_LEASE_MS: String(LEASE_MS),
  });
  fx = await createFixture(env.services);
  dirty = await env.services.sql.getConnection();
  await dirty.query('SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED');
  const url = new URL(env.config.REDIS_URL);
  relay = await startTcpRelay({ host: url.hostname, port: Number(url.port || 6379) }, { slowMs: 400 });
}, 120_000);

afterAll(async () => {
  await stopChildren();
  dirty?.release();
  await relay?.close();
  await env?.cleanup();
  await qy?.close();
});

describe('a crash between the write and the inbox completion', () => {
  it('leaves neither: the retry writes once and answers; a later retry gets the recorded answer', async () => {
    await startServer(`redis://127.0.0.1:${relay.port}`);
    await (await deliver(callback('帮助', 'atomic-warm-up', 'hq_ops_01'))).text();
    expect(await auditRows()).toHaveLength(0);

    const req = callback('给 13800000001 打标签 高价值', 'atomic-tag-1', 'store_manager_01');
    relay.mode = 'slow';
    const first = deliver(req).then(
      (r) => r.text(),
      () => 'connection lost',
    );
    await waitFor(written, 60_000, 'the tag write to reach MySQL', 10);
    // The turn is now in its Redis steps after the write (each answer held back 400 ms): cut it off there.
    relay.mode = 'frozen';
    await kill();
    expect(await first).toBe('connection lost');
    expect((await rows('SELECT state FROM inbound_messages WHERE message_id = ?', ['atomic-tag-1']))[0]).toMatchObject({ state: 'claimed' });
    relay.dropConnections();
    relay.mode = 'pass';

    // WeCom's retry reaches a fresh process after the lease.
    await startServer(env.config.REDIS_URL);
    await new Promise((r) => setTimeout(r, LEASE_MS));
    const retry = readPassiveReply(keys, { status: 200, contentType: 'application/xml', body: await (await deliver(req)).text() });
    expect(retry.Content).toContain('高价值');
    expect(await tagRows()).toHaveLength(1);
    const audits = await auditRows();
    // Exactly one write: before the change the killed process's write had committed, and the retry wrote (and audited) again.
    expect(audits).toHaveLength(1);
    const detail = audits[0]!.detail;
    expect(typeof detail === 'string' ? JSON.parse(detail) : detail).toMatchObject({ tag: '高价值', changed: true });
    expect((await rows('SELECT state, attempts FROM inbound_messages WHERE message_id = ?', ['atomic-tag-1']))[0]).toMatchObject({ state: 'answered', attempts: 2 });

    // A retry of the answered message gets the recorded answer, without a second run.
    const again = readPassiveReply(keys, { status: 200, contentType: 'application/xml', body: await (await deliver(req)).text() });
    expect(again.Content).toBe(retry.Content);
    expect(await auditRows()).toHaveLength(1);
    await kill();
  }, 180_000);
});
