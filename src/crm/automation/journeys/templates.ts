/**
 * The shipped journey templates (the requirement documents' examples), as plain definitions:
 * installTemplates() creates each once as a draft journey that a marketer reviews and activates.
 */
import type { Services } from '../../../services.ts';
import type { JourneyDefinitionInput } from './definition.ts';
import { createJourney, type JourneyInfo } from './store.ts';

/** Placeholder mini-program template ids: replace with the ids of your own subscribe templates. */
export const MP_TEMPLATES = { coupon: 'TPL_COUPON_ARRIVAL', reminder: 'TPL_SERVICE_REMINDER' } as const;

export interface JourneyTemplate {
  key: string;
  name: string;
  description: string;
  definition: JourneyDefinitionInput;
}

export const TEMPLATES: JourneyTemplate[] = [
  {
    key: 'welcome_coupon',
    name: '新会员注册 → 发送欢迎券 → 7天未消费 → 推送唤醒消息',
    description: '注册即发 10 元欢迎券并通知；7 天内没有消费的再推一条唤醒消息，消费过的直接结束。',
    definition: {
      trigger: { type: 'member_registered' },
      goal: { orderWithinDays: 14 },
      steps: [
        { id: 'welcome_coupon', type: 'action', action: { kind: 'coupon', title: '新人欢迎券', amount: 10, validDays: 14 } },
        {
          id: 'welcome_msg',
          type: 'action',
          action: {
            kind: 'message',
            text: '{name}，欢迎加入会员！{amount}元「{coupon}」已放入您的账户，14 天内有效。',
            subscribe: { templateId: MP_TEMPLATES.coupon, data: { thing1: '{coupon}', amount2: '{amount}元', thing3: '欢迎加入会员' }, page: 'pages/coupons/index' },
          },
        },
        { id: 'wait_7d', type: 'wait', duration: { days: 7 } },
        { id: 'ordered', type: 'condition', if: { orderedSinceEntry: true }, then: 'done', else: 'wake_msg' },
        {
          id: 'wake_msg',
          type: 'action',
          action: {
            kind: 'message',
            text: '{name}，您的欢迎券还没用哦，本周到店即可抵扣 {amount} 元，期待您的光临！',
            subscribe: { templateId: MP_TEMPLATES.reminder, data: { thing1: '欢迎券即将到期', thing2: '到店即可抵扣' } },
          },
          next: 'done',
        },
        { id: 'done', type: 'exit' },
      ],
    },
  },
  {
    key: 'birthday',
    name: '生日关怀：生日券 + 生日当天祝福',
    description: '生日前 3 天发生日券，生日当天 10:00 发祝福消息。',
    definition: {
      trigger: { type: 'birthday', daysBefore: 3 },
      reentry: 'per_occurrence',
      steps: [
        { id: 'bday_coupon', type: 'action', action: { kind: 'coupon', title: '生日专享券', amount: 30, validDays: 30 } },
        { id: 'wait_birthday', type: 'wait', until: { field: 'birthday', offsetDays: 0, atTime: '10:00' } },
        {
          id: 'bday_msg',
          type: 'action',
          action: {
            kind: 'message',
            text: '{name}，生日快乐！送您{amount}元「{coupon}」，30 天内到店可用。',
            subscribe: { templateId: MP_TEMPLATES.coupon, data: { thing1: '{coupon}', amount2: '{amount}元', thing3: '生日快乐' } },
          },
        },
        { id: 'done', type: 'exit' },
      ],
    },
  },
  {
    key: 'post_purchase_survey',
    name: '消费后满意度调查',
    description: '订单支付后次日 19:00 邀请会员评价本次消费（服务消息，不计入营销频次）。',
    definition: {
      trigger: { type: 'order_paid' },
      steps: [
        { id: 'wait_next_day', type: 'wait', duration: { hours: 20 } },
        { id: 'evening', type: 'wait', atTime: '19:00' },
        {
          id: 'survey',
          type: 'action',
          action: {
            kind: 'message',
            marketing: false,
            text: '{name}，感谢光临！请花 1 分钟为本次用餐打分，帮助我们做得更好：回复 1–5 分即可。',
            subscribe: { templateId: MP_TEMPLATES.reminder, data: { thing1: '消费满意度调查', thing2: '点击为本次消费打分' }, page: 'pages/survey/index' },
          },
        },
        { id: 'done', type: 'exit' },
      ],
    },
  },
  {
    key: 'points_expiry',
    name: '积分到期提醒',
    description: '积分将在 30 天内过期时提醒会员（服务消息），积分多的会员同时给门店店长一个跟进任务。',
    definition: {
      trigger: { type: 'points_expiring', withinDays: 30 },
      steps: [
        {
          id: 'remind',
          type: 'action',
          action: {
            kind: 'message',
            marketing: false,
            text: '{name}，您有积分即将到期（当前 {points} 分），快来兑换吧！',
            subscribe: { templateId: MP_TEMPLATES.reminder, data: { thing1: '积分即将到期', thing2: '点击查看可兑换礼品' }, page: 'pages/points/index' },
          },
        },
        { id: 'big_balance', type: 'condition', if: { segment: { field: 'points', op: 'gte', value: 5000 } }, then: 'task', else: 'done' },
        { id: 'task', type: 'action', action: { kind: 'staff_task', text: '会员有大额积分即将过期，请电话提醒兑换', to: 'store_manager' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    },
  },
  {
    key: 'winback_high_churn',
    name: '高流失风险会员召回',
    description: '召回券（A/B：20 元 / 10 元各半）+ 召回消息；7 天仍未消费的交给店长电话回访，并打上「召回中」标签。',
    definition: {
      trigger: { type: 'manual' },
      goal: { orderWithinDays: 30 },
      steps: [
        { id: 'ab', type: 'split', branches: [{ name: 'A_20', percent: 50, next: 'coupon_20' }, { name: 'B_10', percent: 50, next: 'coupon_10' }] },
        { id: 'coupon_20', type: 'action', action: { kind: 'coupon', title: '老朋友回归券', amount: 20, validDays: 30 }, next: 'recall_msg' },
        { id: 'coupon_10', type: 'action', action: { kind: 'coupon', title: '老朋友回归券', amount: 10, validDays: 30 }, next: 'recall_msg' },
        {
          id: 'recall_msg',
          type: 'action',
          action: {
            kind: 'message',
            text: '{name}，好久不见！为您准备了{amount}元「{coupon}」，30 天内到店可用，期待再次见到您。',
            subscribe: { templateId: MP_TEMPLATES.coupon, data: { thing1: '{coupon}', amount2: '{amount}元', thing3: '好久不见' } },
          },
        },
        { id: 'wait_7d', type: 'wait', duration: { days: 7 } },
        { id: 'came_back', type: 'condition', if: { orderedSinceEntry: true }, then: 'done', else: 'call' },
        { id: 'call', type: 'action', action: { kind: 'staff_task', text: '召回 7 天仍未到店，请电话回访', to: 'store_manager' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    },
  },
];

export function getTemplate(key: string): JourneyTemplate | undefined {
  return TEMPLATES.find((t) => t.key === key);
}

/** Creates each template once (as a draft) when no journey carries its key yet. */
export async function installTemplates(services: Services, by = 'system'): Promise<JourneyInfo[]> {
  const existing = new Set((await services.db.journey.findMany({ where: { templateKey: { not: null } }, select: { templateKey: true } })).map((j) => j.templateKey));
  const created: JourneyInfo[] = [];
  for (const t of TEMPLATES) {
    if (existing.has(t.key)) continue;
    created.push(await createJourney(services, by, { name: t.name, description: t.description, definition: t.definition, templateKey: t.key }));
  }
  return created;
}
