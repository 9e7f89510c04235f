import { describe, expect, it } from 'vitest';
import { getIntent } from '../intents/catalogue.ts';
import type { Services } from '../services.ts';
import { gate, type GateInput } from './gate.ts';
import type { Actor } from './types.ts';

const staff = { kind: 'staff', staffId: 1, wecomUserId: 'm1', role: 'store_manager', storeIds: [1], name: '店长' } as unknown as Actor;

/** The gate alone (no database is touched on these paths): a write chosen as `name` for `text`. */
function input(name: string, text: string, more: Partial<GateInput> = {}): GateInput {
  const intent = getIntent(name)!;
  return { services: {} as Services, actor: staff, intent, route: { intent: name, slots: { text }, confidence: 0.8 }, text, lang: 'zh', getIntent, ...more };
}

/** Session 20: a write, send or export chosen with nothing to act on asks what it is for instead of holding a preview. */
describe('gate: a write with nothing to act on', () => {
  it('asks whom a bare send or export is for, in Chinese and English', async () => {
    for (const [name, text] of [
      ['recall.launch', '发个优惠券'],
      ['recall.launch', '赶紧推送一下代金券吧'],
      ['recall.launch', '发30块的券'],
      ['recall.launch', 'push out some vouchers now'],
      ['segment.export', '下载一下表格'],
      ['segment.export', 'download it please'],
    ] as const) {
      const v = await gate(input(name, text, { lang: /[a-z]/.test(text) ? 'en' : 'zh' }));
      expect({ text, v }).toMatchObject({ text, v: { kind: 'reply', result: { outcome: 'asked', intent: 'clarify', data: { asked: 'object' } } } });
    }
  });

  it('goes on when the message names whom it reaches', async () => {
    for (const [name, text] of [
      ['recall.launch', '一键召回沉睡客'],
      ['recall.launch', '给流失的老客推送代金券'],
      ['recall.launch', 'send the lapsed guests a voucher'],
      ['segment.export', '下载人群包 周末亲子客'],
    ] as const) expect({ text, v: await gate(input(name, text)) }).toEqual({ text, v: { kind: 'proceed' } });
  });

  it('takes the object from a previous turn about the same things, or from an action held', async () => {
    // The churn list just shown, a question about the recall, a segment just made: "them" and a bare verb go on with it.
    expect(await gate(input('recall.launch', '那给这些人推送代金券', { previous: 'churn.list' }))).toEqual({ kind: 'proceed' });
    expect(await gate(input('recall.launch', '行 那就发吧', { previous: 'recall.launch' }))).toEqual({ kind: 'proceed' });
    expect(await gate(input('segment.export', '下载一下', { previous: 'segment.create' }))).toEqual({ kind: 'proceed' });
    expect(await gate(input('recall.launch', '发个券', { held: true }))).toEqual({ kind: 'proceed' });
    // A previous turn about something else supplies nothing: a member's orders are not whom a recall goes to.
    expect(await gate(input('recall.launch', '给他们发个券', { previous: 'member.orders' }))).toMatchObject({ kind: 'reply', result: { outcome: 'asked' } });
  });

  it('leaves a member write with its member to the other rules', async () => {
    const v = await gate({ ...input('points.adjust', '加100分'), route: { intent: 'points.adjust', slots: { memberNo: 'M00000003', text: '加100分' }, confidence: 0.9 } });
    expect(v).toEqual({ kind: 'proceed' });
  });
});
