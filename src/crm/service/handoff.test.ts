import { describe, expect, it } from 'vitest';
import { useCrmTestEnv } from '../../../test/support/crm/crm-test-env.ts';
import { getTicket } from './tickets/index.ts';
import { handOff } from './handoff.ts';

describe('handOff carries the conversation so far into the ticket', () => {
  const crm = useCrmTestEnv('service_handoff_conversation');
  const member = () => ({ kind: 'member' as const, memberId: crm.id('M00000004'), name: '李娜', phone: '13800000004', homeStoreId: crm.fx.stores.S1 });
  const access = () => ({ services: crm.services, actor: member(), channel: 'wecom_kf' as const, requestId: 'handoff-conv' });

  it('puts the member’s words first, then the last lines under 最近对话, dropping the oldest to fit 2000 characters', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `10:${String(i).padStart(2, '0')} 顾客：第${i}句 ${'很长的话'.repeat(20)}`);
    const r = await handOff(access(), '转人工', false, lines);
    const ticket = await getTicket(crm.as('hq'), r.ticket.id);
    const description = ticket.description ?? '';
    expect(description.length).toBeLessThanOrEqual(2000);
    expect(description.startsWith('转人工\n—— 最近对话 ——\n')).toBe(true);
    expect(description).toContain('第29句'); // the newest line is kept
    expect(description).not.toContain('第0句 '); // the oldest went
  });

  it('without a conversation the description is the member’s words alone', async () => {
    crm.at(new Date(crm.now().getTime() + 3600_000)); // past the join window: a new ticket
    const r = await handOff(access(), '我要投诉', true);
    expect((await getTicket(crm.as('hq'), r.ticket.id)).description).toBe('我要投诉');
  });
});
