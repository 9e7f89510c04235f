import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { createFixture, type Fixture } from '../../test/support/crm/fixture.ts';
import { activeStaffActor, STAFF_STORES, staffIdentity, toStaffActor, updateStaff, type StaffAccess } from '../crm/kernel/index.ts';
import { getIntent, intents } from '../intents/catalogue.ts';
import { createRuleRouter } from '../intents/router/rules.ts';
import { createBot } from './pipeline.ts';
import type { BotAnswer, HandleMessage } from './types.ts';

const TTL_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The sender's staff identity on chat turns (src/crm/kernel/staff-identity.ts): checked every
 * turn against a copy at most STAFF_IDENTITY_TTL_MS old; a change through the staff directory
 * counts at once, one made elsewhere (another process, SQL) within the TTL.
 */
describe('staff identity on chat turns', () => {
  let env: TestEnv;
  let fx: Fixture;
  let bot: HandleMessage;
  let admin: StaffAccess;
  const say = async (from: string, text: string): Promise<BotAnswer> => {
    const out = await bot({ channel: 'wecom', messageId: randomUUID(), from, text, receivedAt: env.services.now(), requestId: randomUUID() });
    if (out.kind !== 'answer') throw new Error(`no answer: ${out.kind}`);
    return out.answer;
  };
  const staffId = async (wecomUserId: string) => (await env.services.db.staff.findUniqueOrThrow({ where: { wecomUserId } })).id;

  beforeAll(async () => {
    env = await createTestEnv('staff_identity', { STAFF_IDENTITY_TTL_MS: String(TTL_MS) });
    fx = await createFixture(env.services);
    bot = createBot({ services: env.services, router: createRuleRouter(intents), getIntent });
    const a = await env.services.db.staff.create({ data: { wecomUserId: 'admin_it', name: '管理员', role: 'admin' }, include: STAFF_STORES });
    admin = { actor: toStaffActor(a), services: env.services, channel: 'console', requestId: 'identify-test' };
  });
  afterAll(async () => env?.cleanup());

  it('gives the same actor as a fresh read of staff, and null for unknown senders', async () => {
    for (const who of ['store_manager_01', 'agent_01', 'marketer_01']) {
      const fresh = await activeStaffActor(env.services, who);
      expect(await staffIdentity(env.services, who)).toEqual(fresh);
      expect(await staffIdentity(env.services, who)).toEqual(fresh); // the kept copy
    }
    expect(fx.staff.manager1.storeIds.length).toBe(1);
    expect(await staffIdentity(env.services, 'nobody_here')).toBeNull();
  });

  it('a staff member deactivated elsewhere (SQL, another process) loses access within the TTL', async () => {
    expect((await say('agent_01', '查一下 13800000004')).intent).toBe('member.lookup');
    await env.services.sql.query('UPDATE staff SET active = FALSE WHERE wecom_user_id = ?', ['agent_01']);
    // This process did not make the change: it may use its copy until the TTL has passed, not after.
    await sleep(TTL_MS + 50);
    const later = await say('agent_01', '查一下 13800000004');
    expect(later.intent).toBe('unregistered');
    expect(later.text).not.toContain('13800000004');
    await env.services.sql.query('UPDATE staff SET active = TRUE WHERE wecom_user_id = ?', ['agent_01']);
    await sleep(TTL_MS + 50);
    expect((await say('agent_01', '查一下 13800000004')).intent).toBe('member.lookup');
  });

  it('a staff member deactivated through the staff directory loses access at once, and a store move counts at once', async () => {
    expect((await say('store_manager_01', '查一下 13800000004')).intent).toBe('member.lookup');
    const id = await staffId('store_manager_01');
    // Moved to the other store: the first store's member is out of scope on the very next turn.
    await updateStaff(admin, id, { storeIds: [fx.stores.S2] });
    expect((await staffIdentity(env.services, 'store_manager_01'))?.storeIds).toEqual([fx.stores.S2]);
    await updateStaff(admin, id, { active: false });
    const refused = await say('store_manager_01', '查一下 13800000004');
    expect(refused.intent).toBe('unregistered');
    await updateStaff(admin, id, { active: true, storeIds: [fx.stores.S1] });
    expect((await say('store_manager_01', '查一下 13800000004')).intent).toBe('member.lookup');
  });

  it('reads staff on every turn with STAFF_IDENTITY_TTL_MS=0', async () => {
    const services = { ...env.services, config: { ...env.services.config, STAFF_IDENTITY_TTL_MS: 0 } };
    expect(await staffIdentity(services, 'agent_01')).not.toBeNull();
    await env.services.sql.query('UPDATE staff SET active = FALSE WHERE wecom_user_id = ?', ['agent_01']);
    expect(await staffIdentity(services, 'agent_01')).toBeNull();
    await env.services.sql.query('UPDATE staff SET active = TRUE WHERE wecom_user_id = ?', ['agent_01']);
  });
});
