import { z } from 'zod';
import { journeyDeps } from '../jobs/journey-deps.ts';
import { audienceLabel, launchRecall, previewRecall, recallAudience, type RecallAudience, type RecallPlan } from '../crm/automation/index.ts';
import { findSegmentInText } from '../crm/insights/index.ts';
import type { StaffAccess } from '../crm/kernel/index.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

const DEFAULT_AMOUNT = 20;
const CHANNEL_LABEL = { miniprogram: '小程序', wecom: '企业微信', sms: '短信', unreachable: '无法触达', unsubscribed: '已退订' } as const;

const slots = z.object({
  amount: z.string().regex(/^\d+(\.\d{1,2})?$/).optional().describe('coupon face value in yuan, e.g. "20.00" (default 20)'),
  text: z.string().max(500).optional().describe("the staff member's words, to find a named segment (人群包) as the audience"),
});

async function plan(access: StaffAccess, s: z.infer<typeof slots>): Promise<RecallPlan> {
  let audience: RecallAudience = { kind: 'churn' };
  // "给人群包 沉睡VIP 发召回券": a saved segment named in the message is the audience.
  if (s.text && /人群包|segment/i.test(s.text)) {
    const seg = await findSegmentInText(access, s.text).catch(() => undefined);
    if (seg) audience = { kind: 'segment', segmentId: seg.id, name: seg.name };
  }
  const amount = s.amount ? Number(s.amount) : DEFAULT_AMOUNT;
  return { audience, couponAmount: amount, memberIds: await recallAudience(access, audience) };
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
  slots,
  examples: [
    { text: '给本店高风险流失会员发召回券', slots: { text: '给本店高风险流失会员发召回券' } },
    { text: 'recall the churn list with a 20元 coupon', slots: { amount: '20.00', text: 'recall the churn list with a 20元 coupon' } },
    { text: '给流失会员发30元召回券', slots: { amount: '30.00', text: '给流失会员发30元召回券' } },
  ],
  rule: {
    keywords: [/召回|挽回|唤醒/, /\brecall\b|\bwin-?back\b/i],
    extract: { amount: 'amount', text: 'text' },
    priority: 7,
  },
  async confirm(ctx, s) {
    const access = staffAccess(ctx);
    const p = await plan(access, s);
    if (p.memberIds.length === 0) return null; // run() explains; nothing to hold
    const pv = await previewRecall(access, p);
    const ch = Object.entries(pv.channels)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${CHANNEL_LABEL[k as keyof typeof CHANNEL_LABEL]} ${n}`)
      .join('、');
    const sample = pv.sample.map((m) => `${m.name}（${m.memberNo}，${CHANNEL_LABEL[m.channel as keyof typeof CHANNEL_LABEL] ?? m.channel}）`).join('、');
    return `将向${audienceLabel(p.audience)}上的 ${pv.count} 位会员发送 ${p.couponAmount} 元回归券和召回消息，预计成本 ${pv.estimatedCost} 元（按全部核销计）。\n触达渠道：${ch}。\n示例：${sample}`;
  },
  async run(ctx, s) {
    const access = staffAccess(ctx);
    const p = await plan(access, s);
    if (p.memberIds.length === 0) return { text: `${audienceLabel(p.audience)}目前是空的，没有需要召回的会员。` };
    const r = await launchRecall(journeyDeps(ctx.services), access, p);
    return {
      text: `召回已启动（编号 ${r.recallId}）：${audienceLabel(p.audience)}的 ${r.enrolled} 位会员，每人 ${p.couponAmount} 元回归券。发送进度和结果会通过企业微信发给你，7 天和 30 天后再发回流统计。`,
      data: r,
    };
  },
});
