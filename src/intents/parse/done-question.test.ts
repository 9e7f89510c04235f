import { describe, expect, it } from 'vitest';
import { asksWhetherDone } from './done-question.ts';

describe('asksWhetherDone', () => {
  it('hears a question whether an action was done, in Chinese and English', () => {
    for (const t of ['券发出去了吗', '召回的券都发完了没', '召回停了没', '王芳的VIP标签打上了没', '陈静的工单建好了吗', '张伟那通电话记了没', '有没有给王芳打标签', '发没发', 'did the coupons go out', 'has she been tagged VIP']) {
      expect(asksWhetherDone(t), t).toBe(true);
    }
  });

  it('does not take a request, a refusal or a progress question for one', () => {
    for (const t of ['帮她打个VIP好吗', '给王芳打个VIP标签', '给流失会员发20元券', '先别发了', '算了不发了', '给她扣50分可以吗', '召回做得怎么样了', 'can you tag her as VIP', 'tag her as VIP']) {
      expect(asksWhetherDone(t), t).toBe(false);
    }
  });
});
