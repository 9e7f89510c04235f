import { describe, expect, it } from 'vitest';
import { cutThing, fieldType, renderSubscribeData } from './subscribe-render.ts';

const ok = (fields: Parameters<typeof renderSubscribeData>[0]) => {
  const r = renderSubscribeData(fields);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
};
const broken = (fields: Parameters<typeof renderSubscribeData>[0]) => {
  const r = renderSubscribeData(fields);
  if (r.ok) throw new Error(`expected a refusal for ${JSON.stringify(fields)}`);
  return r.issues.map((i) => i.key);
};

describe('subscribe-message field rules', () => {
  it('derives the type from the key', () => {
    expect(fieldType('thing1')).toBe('thing');
    expect(fieldType('thing12')).toBe('thing');
    expect(fieldType('character_string3')).toBe('character_string');
    expect(fieldType('phone_number7')).toBe('phone_number');
    expect(fieldType('amount')).toBeUndefined(); // no index
    expect(fieldType('thingy1')).toBeUndefined();
  });

  it('thing: ≤ 20 characters, longer text cut with … counted in the limit, code points not UTF-16 units', () => {
    expect(ok({ thing1: '积分即将过期' }).data).toEqual({ thing1: { value: '积分即将过期' } });
    const long = ok({ thing1: '您的积分将于本月底过期请尽快到店使用兑换好礼' });
    expect([...long.data.thing1!.value]).toHaveLength(20);
    expect(long.data.thing1!.value.endsWith('…')).toBe(true);
    expect(long.truncated).toEqual(['thing1']);
    expect(cutThing('🎉'.repeat(25))).toBe(`${'🎉'.repeat(19)}…`);
    expect(ok({ thing1: 'x'.repeat(20) }).truncated).toEqual([]);
  });

  it('strips control characters (WeChat refuses them) and refuses empty values', () => {
    expect(ok({ thing1: 'a\nb\u0000c' }).data.thing1!.value).toBe('abc');
    expect(broken({ thing1: '\n\t' })).toEqual(['thing1']);
  });

  it('phrase: ≤ 5 Chinese characters only', () => {
    expect(ok({ phrase1: '配送中' }).data.phrase1!.value).toBe('配送中');
    expect(ok({ phrase1: '已经完成了' }).data.phrase1!.value).toBe('已经完成了');
    expect(broken({ phrase1: '已经完成了吗' })).toEqual(['phrase1']);
    expect(broken({ phrase1: 'done' })).toEqual(['phrase1']);
    expect(broken({ phrase1: '完成1' })).toEqual(['phrase1']);
  });

  it('name: ≤ 10 characters with Chinese, ≤ 20 letters otherwise', () => {
    expect(ok({ name1: '张三' }).data.name1!.value).toBe('张三');
    expect(ok({ name1: 'Zhang San' }).ok).toBe(true);
    expect(broken({ name1: '欧阳诸葛司马上官皇甫' + '令' })).toEqual(['name1']);
    expect(broken({ name1: 'a'.repeat(21) })).toEqual(['name1']);
    expect(ok({ name1: 'a'.repeat(20) }).ok).toBe(true);
  });

  it('number ≤ 32 digits (decimals allowed), letter ≤ 32, symbol ≤ 5, character_string ≤ 32 without Chinese', () => {
    expect(ok({ number1: 1280, number2: '12.5' }).data).toEqual({ number1: { value: '1280' }, number2: { value: '12.5' } });
    expect(ok({ number1: '9'.repeat(32) }).ok).toBe(true);
    expect(broken({ number1: '9'.repeat(33), number2: '12a' })).toEqual(['number1', 'number2']);
    expect(ok({ letter1: 'VIP' }).ok).toBe(true);
    expect(broken({ letter1: 'VIP1' })).toEqual(['letter1']);
    expect(ok({ symbol1: '%#' }).ok).toBe(true);
    expect(broken({ symbol1: '%%%%%%', symbol2: 'a' })).toEqual(['symbol1', 'symbol2']);
    expect(ok({ character_string1: 'M00000001-2026/11' }).ok).toBe(true);
    expect(broken({ character_string1: 'x'.repeat(33), character_string2: '订单1' })).toEqual(['character_string1', 'character_string2']);
  });

  it('amount: currency symbol + ≤ 10 digits, decimals, optional 元; numbers rendered as yuan', () => {
    for (const v of ['¥20.00', '￥20', '20元', '20.5元', '$9999999999']) expect(ok({ amount1: v }).data.amount1!.value).toBe(v);
    expect(ok({ amount1: 20 }).data.amount1!.value).toBe('20.00元');
    expect(broken({ amount1: '¥12345678901' })).toEqual(['amount1']);
    expect(broken({ amount1: '二十元' })).toEqual(['amount1']);
    expect(broken({ amount1: '20.123元' })).toEqual(['amount1']);
  });

  it('date and time: the documented formats and ranges; Date objects rendered in China time', () => {
    for (const v of ['2026年11月22日', '2026年11月', '11月22日', '2026-11-22', '2026/11/22', '2026.11.22', '2026-11', '11-22', '2026年11月22日 15:01', '2026-11-22 ~ 2026-11-30'])
      expect(ok({ date1: v }).data.date1!.value, v).toBe(v);
    for (const v of ['15:01', '15:01:30', '2026年11月22日 15:01', '09:00~21:00']) expect(ok({ time1: v }).data.time1!.value, v).toBe(v);
    expect(broken({ date1: '下周一' })).toEqual(['date1']);
    expect(broken({ time1: '25:00' })).toEqual(['time1']);
    expect(broken({ time1: '2026-11-22' })).toEqual(['time1']);
    const at = new Date('2026-11-21T16:30:00Z'); // 2026-11-22 00:30 in China
    expect(ok({ date1: at, time2: at }).data).toEqual({ date1: { value: '2026年11月22日' }, time2: { value: '2026年11月22日 00:30' } });
  });

  it('phone_number ≤ 17 digits/symbols, car_number ≤ 8 with Chinese only at the ends', () => {
    expect(ok({ phone_number1: '+86-0766-66888866' }).ok).toBe(true);
    expect(broken({ phone_number1: '+86-0766-668888661' })).toEqual(['phone_number1']);
    expect(ok({ car_number1: '粤A8Z888挂' }).ok).toBe(true);
    expect(broken({ car_number1: '粤A8Z8888挂' })).toEqual(['car_number1']);
    expect(broken({ car_number1: '粤A8中888' })).toEqual(['car_number1']);
  });

  it('reports every broken field at once and unknown keys', () => {
    const r = renderSubscribeData({ thing1: 'ok', phrase2: 'too long phrase', points3: '5', amount4: 'x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => `${i.key}:${i.type}`)).toEqual(['phrase2:phrase', 'points3:?', 'amount4:amount']);
  });
});
