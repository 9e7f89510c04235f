import { z } from 'zod';
import { formatDate } from '../../crm/kernel/index.ts';
import { optOutOfMarketing } from '../../crm/customers/index.ts';
import { defineIntent } from '../types.ts';
import { t } from '../../i18n/index.ts';
import { selfAccess } from './self.ts';

/** Marketing opt-out: no more journeys or recalls; service replies still come. */
export const unsubscribe = defineIntent({
  name: 'unsubscribe',
  audience: 'member',
  description: 'Opt the member out of marketing messages (journeys, promotions, recalls).',
  title: '退订营销消息',
  permission: null,
  effect: 'write',
  refusalIsRequest: true,
  memberRateLimited: true,
  slots: z.object({}),
  examples: [
    { text: '退订', slots: {} },
    { text: 'unsubscribe', slots: {} },
    { text: '以后别给我发广告了', slots: {} },
  ],
  rule: {
    keywords: ['退订', '取消订阅', '不要再发', '别再发', '别发了', '不要发了', '别给我发', '不想收到', '不想再收到', '拒收', '取消推送', '关闭推送', '骚扰', /不要再.{0,6}(?:推送|发)|别再.{0,6}(?:推送|发)/, 'unsubscribe', 'opt out', 'opt-out', 'stop sending', 'stop messages', /^\s*(?:stop|td|TD|T)\s*$/],
    priority: 4,
  },
  async run(ctx) {
    const r = await optOutOfMarketing(selfAccess(ctx));
    return {
      text: r.changed
        ? t(ctx.lang, 'member-self.unsubscribed')
        : t(ctx.lang, 'member-self.alreadyUnsubscribed', { date: formatDate(r.since) }),
      // Said twice ("退订" … "退订"): the request is met either way, as a tag the member already had
      // is a tag.add done (tag-add.ts) — nothing changed, and the reply says since when.
      outcome: 'done',
    };
  },
});
