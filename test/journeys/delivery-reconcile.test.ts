/**
 * Delivery accounting in one process (docs/journeys.md, "Delivery states"): a send whose answer
 * is lost — the provider does not answer in time, or the database refuses to record the answer —
 * is reconciled with the provider before it is retried or counted, and the cause recorded is the
 * one that happened. The providers are the local fakes; the senders are the real adapters, given
 * a short timeout so that a slow fake is a timeout.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTextSender, createWeComExternalSender } from '../../src/channels/outbound/index.ts';
import { createWeComApiClient } from '../../src/channels/wecom/index.ts';
import { createJourneyDeps, type JourneyDeps } from '../../src/crm/automation/index.ts';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { createJourney } from '../../src/crm/automation/journeys/store.ts';
import { startJourneyWorker } from '../../src/jobs/journey-worker.ts';
import { journeyDeps } from '../../src/jobs/journey-deps.ts';
import { createRig, insertMembers, type Rig } from './support.ts';
import { waitFor as until } from '../support/wait-for.ts';

const TIMEOUT_MS = 400;
let rig: Rig;
let deps: JourneyDeps;
let stopWorker: () => Promise<void>;

interface Row {
  result: string;
  channel: string | null;
  error: string | null;
  attempts: number;
  acked_at: Date | null;
  provider_id: string | null;
  detail: Record<string, unknown> | null;
}

async function execution(journeyId: number): Promise<Row> {
  const [rows] = await rig.env.services.sql.query<RowDataPacket[]>(
    "SELECT result, channel, error, attempts, acked_at, provider_id, detail FROM journey_step_executions WHERE journey_id = ? AND step_id = 'msg'",
    [journeyId],
  );
  const r = rows[0]!;
  return { ...(r as Row), detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail };
}


async function runJourney(channel: 'sms' | 'wecom', spec: { external?: boolean }, index: number): Promise<number> {
  const [memberId] = await insertMembers(rig.env, [spec], index);
  const id = (
    await createJourney(rig.env.services, 't', {
      name: `delivery ${channel} ${index}`,
      status: 'active',
      definition: { trigger: { type: 'manual' }, steps: [{ id: 'msg', type: 'action', action: { kind: 'message', text: `{name}，您好 ${index}`, channels: [channel] } }, { id: 'done', type: 'exit' }] },
    })
  ).id;
  await enrollMembers(deps, id, [memberId!], { occurrence: 'launch' });
  await until(async () => {
    const [r] = await rig.env.services.sql.query<RowDataPacket[]>("SELECT state FROM journey_enrollments WHERE journey_id = ?", [id]);
    return r[0]?.state === 'completed';
  });
  return id;
}

beforeAll(async () => {
  rig = await createRig('delivery_reconcile', { start: new Date(), env: { JOURNEY_QUIET_HOURS: 'off' } });
  // The real clock: the WeCom lookup compares our attempt's time with the platform's.
  Object.defineProperty(rig.clock, 'now', { get: () => new Date(), set: () => undefined });
  const { services } = rig.env;
  const base = journeyDeps(services);
  const client = createWeComApiClient(services, { timeoutMs: TIMEOUT_MS });
  await client.getAccessToken(); // only the sends are slowed down below, not the token
  deps = createJourneyDeps(
    services,
    { ...base.senders, sms: createHttpTextSender('sms', rig.sms.url, TIMEOUT_MS), wecom: createWeComExternalSender(client) },
    // The retry comes after the slow provider has finished with the first request, as BullMQ's
    // backoff (2 s and more) does after a real timeout.
    { attempts: 3, backoffMs: 1500 },
  );
  const worker = startJourneyWorker(services, { deps, concurrency: 2 });
  stopWorker = () => worker.close();
}, 180_000);

afterAll(async () => {
  await stopWorker?.();
  await rig?.close();
});

describe('a send whose answer is lost', () => {
  it('WeCom: no answer in time, but WeCom created the message — found by its msgid, counted sent once, not resent', async () => {
    rig.wecom.setDelay(TIMEOUT_MS * 2);
    const requestsBefore = rig.wecom.externalRequests;
    const done = runJourney('wecom', { external: true }, 1);
    await until(() => rig.wecom.externalRequests > requestsBefore);
    rig.wecom.setDelay(0); // only the send itself is slow
    const id = await done;
    const row = await execution(id);
    const delivered = rig.wecom.external.filter((m) => m.externalUserId === 'wm_1');
    expect(delivered).toHaveLength(1); // the platform has it once
    expect(rig.wecom.externalRequests - requestsBefore).toBe(1); // reconciled, never resent
    expect(row).toMatchObject({ result: 'sent', channel: 'wecom', attempts: 1 });
    expect(row.acked_at).toBeInstanceOf(Date);
    expect(row.provider_id).toMatch(/^msg/);
    expect(row.detail).toMatchObject({ reconciled: 'delivered' });
    expect(String(row.detail!.interrupted)).toMatch(/^in_doubt: .*no answer within 400 ms/);
  }, 180_000);

  it('WeCom: no answer in time, and WeCom did not create the message — the lookup finds nothing and it is sent once', async () => {
    rig.wecom.setDelay(TIMEOUT_MS * 2);
    rig.wecom.failExternalNext(-1); // answered (too late) with "system busy": nothing was created
    const requestsBefore = rig.wecom.externalRequests;
    const lookupsBefore = rig.wecom.lookupRequests;
    const done = runJourney('wecom', { external: true }, 2);
    await until(() => rig.wecom.externalRequests > requestsBefore);
    rig.wecom.setDelay(0);
    const id = await done;
    expect(rig.wecom.external.filter((m) => m.externalUserId === 'wm_2')).toHaveLength(1);
    expect(rig.wecom.lookupRequests).toBeGreaterThan(lookupsBefore); // asked before sending again
    const row = await execution(id);
    expect(row).toMatchObject({ result: 'sent', channel: 'wecom', attempts: 2 });
    expect(row.detail).toMatchObject({ reconciled: 'absent' });
  }, 180_000);

  it('SMS: no answer in time — resent with the same Idempotency-Key, the provider answers with the one message it holds', async () => {
    rig.sms.setDelay(TIMEOUT_MS * 2);
    const before = rig.sms.requests;
    const done = runJourney('sms', {}, 3);
    await until(() => rig.sms.requests > before);
    rig.sms.setDelay(0);
    const id = await done;
    const row = await execution(id);
    const delivered = rig.sms.delivered.filter((d) => d.to === '13900000003');
    expect(delivered).toHaveLength(1);
    expect(rig.sms.duplicates).toBe(1); // the resend, collapsed by the provider
    // Our count: one attempt, acknowledged under the provider's id — not two sends.
    expect(row).toMatchObject({ result: 'sent', channel: 'sms', attempts: 1, provider_id: delivered[0]!.id });
    expect(row.detail).toMatchObject({ reconciled: 'delivered' });
  }, 180_000);

  it('a database error after the provider accepted: the cause recorded is the database error, and the message is not sent twice', async () => {
    const { sql } = rig.env.services;
    // The database refuses to record any acknowledged message step (a real error from MariaDB).
    await sql.query(`CREATE TRIGGER refuse_ack BEFORE UPDATE ON journey_step_executions FOR EACH ROW
      BEGIN IF NEW.result = 'sent' AND NEW.step_id = 'msg' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test: the database is refusing writes'; END IF; END`);
    const before = rig.sms.delivered.length;
    const done = runJourney('sms', {}, 4);
    // The refusal outlasts the in-process retries of the write; then the job fails and BullMQ retries it.
    await until(async () => (await rig.env.services.queues.journey.getJobs(['delayed', 'failed'])).some((j) => /database refused/.test(j.failedReason ?? '')), 30_000);
    await sql.query('DROP TRIGGER refuse_ack');
    const id = await done;
    const row = await execution(id);
    expect(rig.sms.delivered.length - before).toBe(1);
    expect(row).toMatchObject({ result: 'sent', attempts: 1 });
    expect(row.acked_at).toBeInstanceOf(Date);
    const cause = String(row.detail!.interrupted);
    expect(cause).toContain('test: the database is refusing writes');
    expect(cause).not.toMatch(/worker stopped/);
  }, 90_000);
});
