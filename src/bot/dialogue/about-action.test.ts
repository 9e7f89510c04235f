import { describe, expect, it } from 'vitest';
import { getIntent } from '../../intents/catalogue.ts';
import { asksAboutTheAction, readOfAction } from './about-action.ts';

describe('a question about the action itself', () => {
  it.each(['发了吗？', '开了吗', '都发出去了吗', '打上了没', '导出了吗', 'did it go out?', 'has it been sent?', 'done?', '怎么样了', 'any update?'])('%s asks about it', (text) => {
    expect(asksAboutTheAction(text)).toBe(true);
  });
  it.each(['她来了吗', '给她打过VIP了吗', '13800000001 发了吗', '发券', '确认', '嗯', 'did she come back last week?', '王芳的订单呢', '召回做得怎么样了 上个月的'])('%s does not', (text) => {
    expect(asksAboutTheAction(text)).toBe(false);
  });
  it('is answered by the write\'s read; a read has none', () => {
    expect(readOfAction(getIntent('recall.launch'), getIntent)?.name).toBe('recall.status');
    expect(readOfAction(getIntent('ticket.create'), getIntent)?.name).toBe('member.tickets');
    expect(readOfAction(getIntent('member.orders'), getIntent)).toBeNull();
  });
});
