import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollMembers } from '../../src/crm/automation/journeys/schedule.ts';
import { createJourney } from '../../src/crm/automation/journeys/store.ts';
import { startFakeTextProvider, type FakeTextProvider } from '../fakes/text-provider.ts';
import { createRig, executions, insertMembers, type Rig } from './support.ts';
import { emailColumns } from '../support/sealed-phone.ts';

// Wednesday 2026-11-18 10:00 China time (outside quiet hours).
const START = new Date('2026-11-18T02:00:00.000Z');

describe('the email channel of journeys', () => {
  let rig: Rig;
  let mail: FakeTextProvider;
  beforeAll(async () => {
    mail = await startFakeTextProvider();
    rig = await createRig('journey_email', { start: START, env: { EMAIL_PROVIDER_URL: mail.url } });
    rig.startWorker();
  });
  afterAll(async () => {
    await rig?.close();
    await mail?.close();
  });

  it('mails members who have an address and falls back to SMS for those who have none', async () => {
    const [withMail, without] = await insertMembers(rig.env, [{}, {}]);
    await rig.env.services.sql.query('UPDATE members SET email_enc = ?, email_hash = ? WHERE id = ?', [...Object.values(emailColumns('lin@example.com')), withMail]);
    const { id } = await createJourney(rig.env.services, 'test', {
      name: 'email first',
      status: 'active',
      definition: {
        trigger: { type: 'manual' },
        steps: [{ id: 'hello', type: 'action', action: { kind: 'message', text: '{name}，本周会员日全场 9 折', subject: '会员日', channels: ['email', 'sms'] } }],
      },
    });
    expect((await enrollMembers(rig.deps, id, [withMail!, without!], { occurrence: 'manual-1' })).enrolled).toBe(2);
    await rig.drain();

    // insertMembers names members 会员<index>: the first one is 会员0.
    expect(mail.delivered.map((d) => [d.to, d.subject, d.text])).toEqual([['lin@example.com', '会员日', '会员0，本周会员日全场 9 折']]);
    expect(rig.sms.delivered.map((d) => d.text)).toEqual(['会员1，本周会员日全场 9 折']);
    const log = await executions(rig.env, id);
    expect(log.filter((e) => e.step_id === 'hello').map((e) => [e.member_id, e.result, e.channel]).sort()).toEqual(
      [
        [withMail, 'sent', 'email'],
        [without, 'sent', 'sms'],
      ].sort(),
    );
  });
});
