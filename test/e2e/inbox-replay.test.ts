/**
 * Writes Prisma makes for a chat message (points, tickets, interactions, segments) cannot join
 * the message's transaction, so a crash between such a write and the inbox's completion used to
 * run the write again on the platform's retry. Each now carries the message's replay key (kernel
 * `replayKey`): the retry finds the row it made (docs/wecom.md, "What happens on a crash or a
 * retry"). Here the first run's answer fails after its writes — the claim is released and the
 * writes stay, exactly what a crash between the two leaves — and the retry runs the same answer.
 */
import { describe, expect, it } from 'vitest';
import { withInboxClaim } from '../../src/bot/inbox/claim.ts';
import { inboxRow } from '../../src/bot/inbox/store.ts';
import type { HandleOutcome, InboundMessage } from '../../src/bot/types.ts';
import { createSegment } from '../../src/crm/insights/index.ts';
import { adjustPoints } from '../../src/crm/loyalty/index.ts';
import { createTicket, logInteraction } from '../../src/crm/service/index.ts';
import { useCrmTestEnv } from '../support/crm/crm-test-env.ts';

const crm = useCrmTestEnv('inbox_replay');
const message = (id: string): InboundMessage => ({ channel: 'wecom', messageId: id, from: 'store_manager_01', text: '…', receivedAt: new Date(), requestId: `r-${id}` });
const answered: HandleOutcome = { kind: 'answer', answer: { intent: 'test', slots: {}, confidence: 1, text: '好了' } };

/** Runs `writes` as the answer of `msg`: first failing after them (a crash's effect), then as the platform's retry. */
async function crashThenRetry(msg: InboundMessage, writes: () => Promise<void>): Promise<void> {
  await expect(
    withInboxClaim(crm.services, msg, crm.services.logger, async () => {
      await writes();
      throw new Error('the process died here');
    }),
  ).rejects.toThrow('the process died here');
  expect(await inboxRow(crm.services, msg)).toMatchObject({ state: 'released' });
  expect(await withInboxClaim(crm.services, msg, crm.services.logger, async () => (await writes(), answered))).toEqual(answered);
  expect(await inboxRow(crm.services, msg)).toMatchObject({ state: 'answered', attempts: 2 });
}

describe('a chat message run again after a crash between its Prisma writes and its completion', () => {
  it('moves points, opens a ticket, logs an interaction and saves a segment once', async () => {
    const { services } = crm;
    const memberId = crm.id('M00000003');
    const before = (await services.db.member.findUniqueOrThrow({ where: { id: memberId } })).points;
    const me = crm.as('manager1');
    await crashThenRetry(message('replay-1'), async () => {
      // Two changes of one kind in one message stay two (the key counts them), and replay as two.
      await adjustPoints(me, { memberId, delta: 10, reason: '补录' });
      await adjustPoints(me, { memberId, delta: 5, reason: '补录' });
      await createTicket(me, { memberId, type: 'repair', title: '门店设备报修' });
      await logInteraction(me, { memberId, type: 'complaint', channel: 'store', content: '上菜太慢' });
      await createSegment(me, { name: '重放测试人群', tree: { version: 1, root: { tag: 'VIP' } } });
    });
    expect((await services.db.member.findUniqueOrThrow({ where: { id: memberId } })).points).toBe(before + 15);
    expect(await services.db.pointsLedger.count({ where: { memberId, reason: '补录' } })).toBe(2);
    expect(await services.db.ticket.count({ where: { memberId, title: '门店设备报修' } })).toBe(1);
    expect(await services.db.interaction.count({ where: { memberId, content: '上菜太慢' } })).toBe(1);
    // The complaint's ticket, opened with the interaction: one as well.
    expect(await services.db.ticket.count({ where: { memberId, type: 'complaint', description: '上菜太慢' } })).toBe(1);
    expect(await services.db.segment.count({ where: { name: '重放测试人群' } })).toBe(1);
  });

  it('outside a message (the API, a journey) the same calls are separate writes', async () => {
    const { services } = crm;
    const memberId = crm.id('M00000005');
    const me = crm.as('manager1');
    for (let i = 0; i < 2; i++) {
      await adjustPoints(me, { memberId, delta: 1, reason: '两次' });
      await createTicket(me, { memberId, type: 'repair', title: '两张工单' });
    }
    expect(await services.db.pointsLedger.count({ where: { memberId, reason: '两次' } })).toBe(2);
    expect(await services.db.ticket.count({ where: { memberId, title: '两张工单' } })).toBe(2);
  });
});
