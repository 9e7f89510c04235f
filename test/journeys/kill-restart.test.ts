import type { ChildProcess } from 'node:child_process';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { createJourney } from '../../src/crm/automation/journeys/store.ts';
import { childEnv, spawnTsx, stopChildren } from '../support/child.ts';
import { createRig, insertMembers, type Rig } from './support.ts';
import { waitFor as until } from '../support/wait-for.ts';

let rig: Rig;
const N = 300;

function startChild(): Promise<ChildProcess> {
  // The rig's own config (database, Redis URL and prefix, provider URLs, quiet hours off),
  // whatever the caller exported; the IPC channel says "ready" and ends the child with this process.
  const child = spawnTsx(['test/journeys/worker-child.ts'], childEnv(rig.env.config), ['ignore', 'inherit', 'inherit', 'ipc']);
  return new Promise((resolve, reject) => {
    child.on('message', (m) => {
      if (m === 'ready') resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker child exited early (${code})`)));
  });
}


beforeAll(async () => {
  rig = await createRig('journey_kill', { start: new Date(), sms: { delayMs: 25 }, env: { JOURNEY_QUIET_HOURS: 'off' } });
  // The parent uses the real clock here: the children do.
  rig.clock.now = new Date();
  Object.defineProperty(rig.clock, 'now', { get: () => new Date(), set: () => undefined });
});
afterAll(async () => {
  await stopChildren(); // a worker child still running when a step above failed
  await rig?.close();
});

describe('a worker process killed mid-step and restarted', () => {
  it('sends nothing twice and loses nothing', { timeout: 120_000 }, async () => {
    const ids = await insertMembers(rig.env, Array.from({ length: N }, () => ({})));
    const id = (
      await createJourney(rig.env.services, 't', {
        name: 'kill',
        status: 'active',
        definition: {
          trigger: { type: 'manual' },
          steps: [
            { id: 'coupon', type: 'action', action: { kind: 'coupon', title: '回归券', amount: 20, validDays: 30 } },
            { id: 'sms', type: 'action', action: { kind: 'message', text: '{name}，{amount}元「{coupon}」已到账', channels: ['sms'] } },
            { id: 'done', type: 'exit' },
          ],
        },
      })
    ).id;
    await enrollMembers(rig.deps, id, ids, { occurrence: 'launch' });

    const first = await startChild();
    await until(() => rig.sms.delivered.length >= 60, 60_000);
    first.kill('SIGKILL'); // mid-run: 8 jobs in flight, some of them inside the provider call
    await new Promise((r) => first.once('exit', r));
    const atKill = rig.sms.delivered.length;
    expect(atKill).toBeLessThan(N);

    const second = await startChild();
    try {
      await until(async () => {
        const [r] = await rig.env.services.sql.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM journey_enrollments WHERE journey_id = ? AND state = 'completed'", [id]);
        return Number(r[0]!.n) === N;
        // The killed process's jobs come back once their lock lapses (JOB_LOCK: 10 s, checked every
        // 3 s); with BullMQ's defaults (30 s, 30 s) they took 30–90 s and this wait ran out.
      }, 45_000);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }

    // Exactly one message and one coupon per member.
    const perMember = new Map<string, number>();
    for (const d of rig.sms.delivered) perMember.set(d.to, (perMember.get(d.to) ?? 0) + 1);
    expect(perMember.size).toBe(N);
    expect([...perMember.values()].every((n) => n === 1)).toBe(true);
    const [coupons] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT member_id, COUNT(*) AS n FROM member_coupons GROUP BY member_id');
    expect(coupons).toHaveLength(N);
    expect(coupons.every((c) => Number(c.n) === 1)).toBe(true);
    // Every member accounted for in the execution log.
    const [log] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT step_id, result, COUNT(*) AS n FROM journey_step_executions WHERE journey_id = ? GROUP BY step_id, result ORDER BY step_id', [id]);
    expect(log.map((l) => [l.step_id, l.result, Number(l.n)])).toEqual([
      ['coupon', 'sent', N],
      ['done', 'done', N],
      ['sms', 'sent', N],
    ]);
    // Resends the provider collapsed by Idempotency-Key are the in-flight sends of the killed process.
    expect(rig.sms.duplicates).toBeLessThanOrEqual(8);
    console.log(`kill-restart: killed after ${atKill} deliveries; ${rig.sms.duplicates} in-doubt resends collapsed by the provider's idempotency key`);
  });
});
