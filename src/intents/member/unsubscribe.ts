import { z } from 'zod';
import { formatDate } from '../../crm/kernel/index.ts';
import { optOutOfMarketing } from '../../crm/customers/index.ts';
import { defineIntent } from '../types.ts';
import { t } from '../../i18n/index.ts';
import { selfAccess } from './self.ts';

/**
 * The member's own words asking to stop marketing messages (退订, TD, 别再给我发了, stop sending me …):
 * what lets the opt-out run (src/bot/gate-member.ts). A grumble about messages ("你们消息也太多了吧")
 * may be read as this intent, but says no wish: it is told how to opt out, and nothing changes.
 * Read on NFKC, simplified text.
 */
export const STOP_WISH =
  /退订|退定|取消订阅|拒收|取消推送|关闭推送|屏蔽|(?:不要|别|甭|不用|不想|不愿意?|不需要)[^，,。；;\s]{0,6}?(?:发|推|收|打扰|消息|短信|广告|信息|通知|营销)|\bunsubscribe\b|\bopt[- ]?out\b|\bstop (?:sending|messaging|texting|the (?:messages|ads|promos|spam))\b|\bno more (?:messages|ads|promos|spam|texts)\b|\b(?:please|pls|just|ok,?)\s+stop (?:them|it|these|those)\b|\bdon'?t (?:send|text|message)\b|^\s*(?:stop|td|t)\s*$/i;

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
    keywords: ['退订', '取消订阅', '不要再发', '别再发', '别发了', '不要发了', '别给我发', '不想收到', '不想再收到', '拒收', '取消推送', '关闭推送', '骚扰', /不要再.{0,6}(?:推送|发)|别再.{0,6}(?:推送|发)/, 'unsubscribe',
      // About the messages without a wish ("你们消息也太多了吧", "怎么才能不收"): this intent's topic; the gate
      // (src/bot/gate-member.ts) answers how to opt out and changes nothing unless STOP_WISH says so.
      /(?:消息|短信|推送|广告|信息)[^，,。；;\s]{0,6}?(?:太多|有点多|好多|这么多|那么多|多死了|烦)|(?:怎么|如何|怎样)(?:才|样才)?(?:能|可以)?不(?:再)?(?:收|接收)/, 'opt out', 'opt-out', 'stop sending', 'stop messages', /^\s*(?:stop|td|TD|T)\s*$/],
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
