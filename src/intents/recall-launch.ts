import { z } from 'zod';
import { journeyDeps } from '../jobs/journey-deps.ts';
import { launchRecall, previewRecall, previewRecallAudience, recallAudience, type RecallAudience, type RecallPlan, type RecallPreview } from '../crm/automation/index.ts';
import { findSegmentInText } from '../crm/insights/index.ts';
import { formatMonthDayTime, type StaffAccess } from '../crm/kernel/index.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t, type Lang } from '../i18n/index.ts';
import { renderExclusions } from './render/recall.ts';
import { RECALL_VERB, recallRecipient } from './parse/recall-words.ts';
import { recallAmount } from './parse/recall-amount.ts';

/** The chain's default coupon value, previewed when the sender answers 默认 / default to the question of the value. */
export const DEFAULT_AMOUNT = 20;
const CHANNELS = ['miniprogram', 'wecom', 'sms', 'unreachable', 'unsubscribed'] as const;
const channelLabel = (c: string, lang: Lang) => ((CHANNELS as readonly string[]).includes(c) ? t(lang, `recall.channel.${c as (typeof CHANNELS)[number]}`) : c);
/** The audience in words (the domain's audienceLabel is the Chinese one, kept for the journey's name). */
const audienceText = (a: RecallAudience, lang: Lang) => (a.kind === 'churn' ? t(lang, 'recall.audience.churn') : t(lang, 'recall.audience.segment', { name: a.name }));
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const slots = z.object({
  amount: z.string().regex(/^\d+(\.\d{1,2})?$/).optional().describe('coupon face value in yuan, e.g. "20.00" (default 20)'),
  text: z.string().max(500).optional().describe("the staff member's words, to find a named segment (人群包) as the audience"),
  // Never an audience: a recall goes to a list. Kept so the write gate sees a recall aimed at one member ("给陈静发个召回",
  // "recall 陈静") and says so instead of previewing the whole churn list (aimsAtOneMember, src/bot/understand/requests.ts).
  // Not `name`: no member is looked up for a recall, and the evaluation counts `name` as the member a request is about.
  member: z.string().max(100).optional().describe('a member named as the recipient; a recall never goes to one member (the write gate says so)'),
});

/** The audience a message names: a saved segment named in it, else the churn list. */
async function audienceOf(access: StaffAccess, s: z.infer<typeof slots>): Promise<RecallAudience> {
  let audience: RecallAudience = { kind: 'churn' };
  // "给人群包 沉睡VIP 发召回券": a saved segment named in the message is the audience.
  if (s.text && /人群包|segment/i.test(s.text)) {
    const seg = await findSegmentInText(access, s.text).catch(() => undefined);
    if (seg) audience = { kind: 'segment', segmentId: seg.id, name: seg.name };
  }
  return audience;
}

const amountOf = (s: z.infer<typeof slots>) => (s.amount ? Number(s.amount) : DEFAULT_AMOUNT);

async function plan(access: StaffAccess, s: z.infer<typeof slots>): Promise<RecallPlan> {
  const audience = await audienceOf(access, s);
  return { audience, couponAmount: amountOf(s), memberIds: await recallAudience(access, audience) };
}

/** The preview counted in the database (the audience's ids stay there), or over the ids when it cannot be. */
async function preview(access: StaffAccess, s: z.infer<typeof slots>): Promise<{ audience: RecallAudience; couponAmount: number; pv: RecallPreview } | null> {
  const audience = await audienceOf(access, s);
  const couponAmount = amountOf(s);
  const counted = await previewRecallAudience(access, audience, couponAmount);
  if (counted) return counted.audience === 0 ? null : { audience, couponAmount, pv: counted };
  const p = await plan(access, s);
  if (p.memberIds.length === 0) return null;
  return { audience, couponAmount, pv: await previewRecall(access, p) };
}

/**
 * One-sentence recall ("给本店高风险流失会员发召回券"): a mass send, so confirm() shows the preview
 * (count, sample, estimated cost, reachable channel per member) and the pipeline holds it until
 * the same person confirms (action.confirm); run() then launches it as a journey.
 */
export const recallLaunch = defineIntent({
  name: 'recall.launch',
  audience: 'staff',
  description: "Send a recall coupon and message to the churn list of the staff member's stores (or a named segment), launched as a journey after confirmation; results and 7/30-day conversions are reported back.",
  title: '一键召回（发召回券）',
  permission: 'recall.launch',
  effect: 'send',
  readCounterpart: 'recall.status',
  // Whom it goes to: the segment named (audienceOf), else the churn list.
  reaches: (s) => (s.text && /人群包|segment/i.test(s.text) ? { intent: 'segment.count', slots: { text: s.text } } : { intent: 'churn.list', slots: {} }),
  slots,
  examples: [
    { text: '给本店高风险流失会员发召回券', slots: { text: '给本店高风险流失会员发召回券' } },
    { text: 'recall the churn list with a 20元 coupon', slots: { amount: '20.00', text: 'recall the churn list with a 20元 coupon' } },
    { text: '给流失会员发30元召回券', slots: { amount: '30.00', text: '给流失会员发30元召回券' } },
    { text: 'send churned members a 30 yuan recall coupon', slots: { amount: '30.00', text: 'send churned members a 30 yuan recall coupon' } },
  ],
  rule: {
    // Money sent to the churned is a recall even without the coupon word ("流失名单整体发 30块"): a sum is sent only as a coupon. The sum is looked
    // ahead at, not taken as the trigger, so the amount extractor still reads it.
    keywords: [RECALL_VERB, /\brecall\b|\bwin-?back\b/i, [/流失|沉睡/, /群发|批量发|(?:发|送)(?:个|张|一张|些)?(?:券|优惠券|代金券)|(?:发|送)(?=\s*(?:个|张|一张|每人)?\s*\d{1,4}\s*(?:块|元))/]],
    extract: { amount: 'amount', text: 'text' },
    // A face value said bare after the recall's words ("发召回 25", "每人送30"): recall-amount.ts. One member named where the
    // recipient stands ("给陈静发个召回"): recall-words.ts, for the write gate — never from leftover words (a recall names no member).
    derive: (text) => ({ amount: recallAmount(text), member: recallRecipient(text) }),
    priority: 7,
  },
  async confirm(ctx, s) {
    const access = staffAccess(ctx);
    const p = await preview(access, s);
    if (!p) return null; // an empty audience: run() explains; nothing to hold
    const { pv } = p;
    if (pv.count === 0) return null; // everybody left out: run() says why, nothing to hold
    const lang = ctx.lang;
    const sep = lang === 'zh' ? '、' : ', ';
    // The channel counts of a preview counted member by member; one from the scoring run's counts says as of when instead.
    const ch = pv.channels
      ? t(lang, 'recall.channels', {
          channels: Object.entries(pv.channels)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => t(lang, 'recall.channelCount', { channel: channelLabel(k, lang), count: n }))
            .join(sep),
        })
      : '';
    const asOf = pv.asOf ? t(lang, 'recall.asOf', { at: formatMonthDayTime(pv.asOf) }) : '';
    const sample = pv.sample.map((m) => t(lang, 'recall.sample', { name: m.name, memberNo: m.memberNo, channel: channelLabel(m.channel, lang) })).join(sep);
    const text = t(lang, 'recall.preview', { audience: audienceText(p.audience, lang), count: pv.count, amount: p.couponAmount, cost: pv.estimatedCost, channels: ch, asOf, sample });
    const excluded = renderExclusions(lang, pv.excluded);
    return excluded ? `${text}\n${excluded}` : text;
  },
  async run(ctx, s) {
    const access = staffAccess(ctx);
    const p = await plan(access, s);
    if (p.memberIds.length === 0) return { text: capitalize(t(ctx.lang, 'recall.empty', { audience: audienceText(p.audience, ctx.lang) })) };
    const r = await launchRecall(journeyDeps(ctx.services), access, p);
    const excluded = renderExclusions(ctx.lang, r.excluded);
    return {
      text: t(ctx.lang, 'recall.launched', { id: r.recallId, audience: audienceText(p.audience, ctx.lang), count: r.enrolled, amount: p.couponAmount }) + (excluded ? `\n${excluded}` : ''),
      data: r,
      outcome: 'done',
    };
  },
});
