import { toSimplified } from '../../intents/router/traditional.ts';

/**
 * "发给谁啊", "多少人", "有几个人啊", "这个包几个人来着", "how many people is that", "who gets it": while an
 * action waits for 确认, a question about the people it reaches — answered by the read that shows them
 * (`IntentDef.reaches`: the churn list a recall or a batch tag goes to, the segment an export writes), and
 * the action stays held. Only the question itself: a member, a tag or any other object named makes it a
 * request of its own (routed as usual).
 */

/** Words around the question that add nothing ("等下", "那", "一共", "来着", "啊"). */
const LEAD = /^(?:(?:等下|等等|等一下|稍等|那个?|嗯+|哦|诶|哎|先|请问|问下|问一下|对了|ok|so|and|wait|hmm+|um+)[\s,，.。…]*)+/iu;
const TAIL = /(?:[\s,，]*(?:来着|啊|呀|呢|哈|吗|嘛|啦|了|哦|then|again|exactly|now))+$/iu;
/** What the question may name as the thing that reaches them: the coupon, the list, the segment, "it". */
const OBJECT = /^(?:(?:这个|那个|这次|这批|这|那)?(?:召回券?|券|优惠券|人群包?|包|名单|列表|批|标签)?(?:里面?|上面?|里头)?(?:的)?(?:会员|人|客户)?(?:一共|总共|大概|会|要|能)?)/u;

const WHO_ZH = /^(?:(?:是|都是|都|会|要|会是)?(?:发|送|推|打|导|转)(?:给|到)?(?:了|出去)?(?:谁|哪些人|哪几个人?|哪些会员|哪些客户)|给谁(?:发|打|送)?|都有谁|都是谁|都谁|有谁|是谁|有哪些人|是哪些人|哪些人|谁(?:会)?(?:收到|能收到|拿到))$/u;
const COUNT_ZH = /^(?:(?:一共|总共|共|大概)?(?:发|送|打|导出?|涉及|覆盖|影响)?(?:给)?(?:多少(?:个)?(?:人|位|会员|客户)|几(?:个)?(?:人|位)|几个会员|几个客户)|有多少(?:个)?(?:人|位)?|有几(?:个)?(?:人|位)?|人数(?:多少|是多少)?|多少人数)$/u;
const EN = /^(?:who(?:'s| is| are)? (?:gets?|getting|receives?|receiving|on it|in it|on the list|in the list|that|they|included)(?: it| this| that| them| the coupon| the coupons)?|to whom|how many(?: people| members| customers| of them)?(?: is that| is it| are there| are they| does it (?:go|reach)(?: to)?| will (?:get|receive) it| in it| on it| in total)?|what'?s the count|how big is (?:it|that|the list))$/i;

/** Whether the message is nothing but a question about the people a held action reaches. */
export function asksWhoIsReached(raw: string): boolean {
  let text = toSimplified(raw.normalize('NFKC')).trim().replace(/[\s?？。.!！~～]+$/u, '');
  if (!text || text.length > 40 || /\d/.test(text)) return false;
  text = text.replace(LEAD, '').replace(TAIL, '').replace(/[\s?？。.!！~～]+$/u, '').trim();
  if (EN.test(text)) return true;
  const core = text.replace(OBJECT, '').replace(/\s+/g, '');
  return core !== '' && (WHO_ZH.test(core) || COUNT_ZH.test(core));
}
