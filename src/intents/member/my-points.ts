import { z } from 'zod';
import { myAccount } from '../../crm/loyalty/index.ts';
import { defineIntent } from '../types.ts';
import { t } from '../../i18n/index.ts';
import { selfAccess } from './self.ts';

/** The member's own points balance. */
export const myPoints = defineIntent({
  name: 'my.points',
  audience: 'member',
  description: "Tell the member their own points balance.",
  title: '我的积分',
  permission: null,
  effect: 'read',
  slots: z.object({}),
  examples: [
    { text: '我还有多少积分', slots: {} },
    { text: 'how many points do I have', slots: {} },
    { text: '积分查询', slots: {} },
  ],
  // "我的卡里还有多少钱", "余额": the card's balance a member can see here is their points (no stored value is kept).
  rule: { keywords: ['积分', '分数', '多少分', '几分', 'points', 'point', 'point balance', '余额', /卡(?:里|上)[^，,。；;\s]{0,4}?(?:钱|余额)/], priority: 2 },
  async run(ctx) {
    const a = await myAccount(selfAccess(ctx));
    return { text: t(ctx.lang, 'member-self.points', { name: a.name, points: a.points.toLocaleString('en-US'), memberNo: a.memberNo }) };
  },
});
