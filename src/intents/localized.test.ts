import { describe, expect, it } from 'vitest';
import { errorReply } from '../bot/error-reply.ts';
import { AppError, ERROR_CODES, type ErrorCode } from '../crm/kernel/index.ts';
import { RFM_CELLS, VALUE_QUADRANTS } from '../crm/insights/index.ts';
import { INTERACTION_CHANNEL_LABEL, INTERACTION_TYPE_LABEL, PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL } from '../crm/service/index.ts';
import { t } from '../i18n/index.ts';
import { catalogue } from '../i18n/messages/index.ts';
import { intents } from './catalogue.ts';
import { intentExample, intentTitle } from './localized.ts';

const HAN = /\p{Script=Han}/u;

describe('intent texts in both languages', () => {
  it('names every intent in English, and in Chinese exactly as its declaration does', () => {
    for (const i of intents) {
      expect(intentTitle(i, 'zh')).toBe(i.title);
      expect(intentTitle(i, 'en'), i.name).not.toMatch(HAN);
      expect((catalogue.titles.zh as Record<string, string>)[i.name], `titles.zh for ${i.name}`).toBe(i.title);
      expect(intentExample(i, 'zh')).toBe(i.examples[0]?.text);
    }
    expect(intentExample(intents.find((i) => i.name === 'member.lookup')!, 'en')).toBe('look up 13800000001');
    // An intent with no English line in `titles` is named by its English description.
    expect(intentTitle({ name: 'x.new', title: '新功能', description: 'List the members of a tag. More words.' }, 'en')).toBe('List the members of a tag');
  });

  it('keeps the catalogue\'s Chinese labels equal to the domain\'s', () => {
    const zh = (key: string) => t('zh', key as never);
    for (const [k, v] of Object.entries(STATUS_LABEL)) expect(zh(`service.status.${k}`)).toBe(v);
    for (const [k, v] of Object.entries(TYPE_LABEL)) expect(zh(`service.type.${k}`)).toBe(v);
    for (const [k, v] of Object.entries(PRIORITY_LABEL)) expect(zh(`service.priority.${k}`)).toBe(v);
    for (const [k, v] of Object.entries(INTERACTION_TYPE_LABEL)) expect(zh(`service.itype.${k}`)).toBe(v);
    for (const [k, v] of Object.entries(INTERACTION_CHANNEL_LABEL)) expect(zh(`service.channel.${k}`)).toBe(v);
    for (const [k, v] of Object.entries(RFM_CELLS)) expect(zh(`insights.cell.${k}`)).toBe(v);
    for (const [k, v] of Object.entries(VALUE_QUADRANTS)) expect(zh(`insights.quadrant.${k}`)).toBe(v);
  });

  it('answers every registered error code in English without Chinese, and in Chinese with the domain\'s message', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const e = new AppError(code, `工单 T20261121000001 出错了「VIP-A」`);
      expect(errorReply(e, 'zh')).toBe(e.message);
      const en = errorReply(e, 'en');
      expect(en, code).not.toMatch(HAN);
      expect(en, code).not.toMatch(/\{\{/);
      if (!(code in catalogue.errors.en)) expect(en).toBe(`That request did not go through (${code}).`);
    }
    expect(errorReply(new AppError('ticket_closed', '工单 T20261121000001 已关闭，不能再指派。'), 'en')).toBe('Ticket T20261121000001 is closed and cannot be reassigned.');
    expect(errorReply(new AppError('insufficient_points', '积分不足：当前 30，需扣 50。'), 'en')).toBe('Not enough points (balance 30, deduction 50).');
    const tagAdd = intents.find((i) => i.name === 'tag.add')!;
    expect(errorReply(new AppError('permission_denied', '…'), 'en', tagAdd)).toBe('Your role has no permission for "Tag a member". Please ask head office to enable it.');
  });
});
