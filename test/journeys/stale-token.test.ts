/**
 * WeCom may drop an access token before its expires_in is up (a secret reset, a revocation):
 * the next call with it answers 40014 (invalid) or 42001 (expired). Every WeCom sender must then
 * drop the cached token, fetch a new one and retry once, so journey messages keep flowing.
 * Runs the journey send path end to end against the fake qyapi (test/fakes/qyapi.ts, the rig's `wecom`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { createJourney } from '../../src/crm/automation/journeys/store.ts';
import { createRig, executions, insertMembers, type Rig } from './support.ts';

// Wednesday 2026-11-18 10:00 China time (outside quiet hours).
const START = new Date('2026-11-18T02:00:00.000Z');

let rig: Rig;
let journeyId: number;
let memberNo = 0;

beforeAll(async () => {
  rig = await createRig('journey_stale_token', { start: START });
  rig.startWorker();
  const j = await createJourney(rig.env.services, 'test', {
    name: 'wecom only',
    status: 'active',
    definition: { trigger: { type: 'manual' }, steps: [{ id: 'hi', type: 'action', action: { kind: 'message', text: '{name}，您好', channels: ['wecom'], marketing: false } }] },
  });
  journeyId = j.id;
});
afterAll(async () => rig?.close());

/** Enrols one new member with a WeCom external contact id and runs the journey to its end. */
async function sendOne(): Promise<{ memberId: number; externalUserId: string }> {
  const [memberId] = await insertMembers(rig.env, [{ external: true }], memberNo);
  const externalUserId = `wm_${memberNo}`;
  memberNo++;
  await enrollMembers(rig.deps, journeyId, [memberId!], { occurrence: `stale-${memberId}` });
  await rig.drain();
  return { memberId: memberId!, externalUserId };
}

async function resultOf(memberId: number) {
  const row = (await executions(rig.env, journeyId)).find((e) => e.member_id === memberId);
  return row && { result: row.result, channel: row.channel, error: row.error };
}

describe('a journey WeCom message after WeCom dropped the cached access token', () => {
  it.each([
    ['revoked early (40014)', () => rig.wecom.revokeTokens()],
    ['expired (42001)', () => rig.wecom.expireTokens()],
  ])('token %s: refreshes once and sends', async (_, drop) => {
    // A first message puts a token into the shared cache.
    const first = await sendOne();
    expect(await resultOf(first.memberId)).toEqual({ result: 'sent', channel: 'wecom', error: null });
    const tokensBefore = rig.wecom.tokenRequests;

    drop();
    const second = await sendOne();

    expect(await resultOf(second.memberId)).toEqual({ result: 'sent', channel: 'wecom', error: null });
    expect(rig.wecom.external.filter((m) => m.externalUserId === second.externalUserId)).toHaveLength(1);
    // Exactly one new gettoken, and the delivered call carried the new token.
    expect(rig.wecom.tokenRequests).toBe(tokensBefore + 1);
    const delivered = rig.wecom.external.find((m) => m.externalUserId === second.externalUserId)!;
    expect(delivered.accessToken).not.toBe(rig.wecom.external.find((m) => m.externalUserId === first.externalUserId)!.accessToken);
  });
});
