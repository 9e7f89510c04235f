import { describe, expect, it } from 'vitest';
import { correctionAt } from './self-correction.ts';
import { parsePoints } from './service-text.ts';

/** Session 22: a value taken back inside one run-on — the one said after the correction is the one written. */
describe('a correction inside one message', () => {
  it('finds the restatement after the last marker, never a marker with nothing before or after it', () => {
    const text = '给陈静贴个商务宴请 哦已经有了 那贴家庭客';
    expect(text.slice(correctionAt(text)!.end).trim()).toBe('那贴家庭客');
    expect(correctionAt('不对 是周杰')).toBeUndefined();
    expect(correctionAt('她说储值卡余额不对')).toBeUndefined();
    expect(correctionAt('give 刘洋 40 points, no wait, 60')).toBeDefined();
  });

  it('points: the corrected figure wins, and keeps the direction first said when no verb restates it', () => {
    expect(parsePoints('给刘洋加三百 不对 四百分 周年庆', ['刘洋'])).toEqual({ delta: 400, reason: '周年庆' });
    expect(parsePoints('周杰扣60分 说错了 40分 兑换饮料', ['周杰']).delta).toBe(-40);
    expect(parsePoints('add 40 points to 刘洋 no wait 60 points', ['刘洋']).delta).toBe(60);
    // A marker with no figure after it changes nothing.
    expect(parsePoints('给刘洋加100分 投诉补偿 余额不对', ['刘洋']).delta).toBe(100);
  });
});
