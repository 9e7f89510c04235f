import { z } from 'zod';
import { myAccount } from '../../crm/loyalty/index.ts';
import { defineIntent } from '../types.ts';
import { t } from '../../i18n/index.ts';
import { selfAccess } from './self.ts';
import { NEXT_LEVEL } from '../router/member-readings.ts';

/** The member's own level and growth value. */
export const myLevel = defineIntent({
  name: 'my.level',
  audience: 'member',
  description: "Tell the member their own membership level and growth value.",
  title: '我的会员等级',
  permission: null,
  effect: 'read',
  slots: z.object({}),
  examples: [
    { text: '我是什么等级', slots: {} },
    { text: 'what is my level', slots: {} },
    { text: '我的会员级别', slots: {} },
  ],
  rule: {
    keywords: [
      '等级', '级别', '几级', '什么会员', '会员卡等级', '金卡', '银卡', '钻石卡', '升级', '下一级', 'level', 'tier', 'membership level', 'status level',
      NEXT_LEVEL,
      // "lv?", "给我升到五级" (a level the member cannot set: read as the level, the gate refuses a claim to be staff).
      'lv',
      /升(?:到|至)\s*(?:[1-9一二三四五六七八九]\s*级|vip|金卡|银卡|钻石)/i,
    ],
    priority: 2,
  },
  async run(ctx) {
    const a = await myAccount(selfAccess(ctx));
    return { text: t(ctx.lang, 'member-self.level', { name: a.name, level: a.level, growth: a.growthValue.toLocaleString('en-US') }) };
  },
});
