import { z } from 'zod';
import { applyBatchTag, planBatchTag } from '../crm/engagement/index.ts';
import type { StaffAccess } from '../crm/kernel/index.ts';
import { churnList } from '../crm/insights/index.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';
import { tagHint } from './render/tags.ts';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const LIST_LABEL = { churn: 'tags.list.churn' } as const;

/** The members of each list, whole (not the top 10 shown in chat): churn = the churn list of the actor's stores. */
const LIST_MEMBERS: Record<keyof typeof LIST_LABEL, (access: StaffAccess) => Promise<number[]>> = {
  churn: async (access) => (await churnList(access, { limit: 100_000, all: true })).entries.map((e) => e.memberId),
};
const listMembers = (access: StaffAccess, list: keyof typeof LIST_LABEL) => () => LIST_MEMBERS[list](access);

/**
 * Put one dictionary tag on a whole member list ("给流失名单打标签 召回中"). A mass change:
 * confirm() shows how many members it touches and the pipeline holds it until the same person
 * confirms (action.confirm).
 */
export const tagBatch = defineIntent({
  name: 'tag.batch',
  audience: 'staff',
  description: "Add an existing dictionary tag to every member of a list (the churn warning list of the staff member's stores); needs confirmation.",
  title: '批量打标签（流失名单）',
  permission: 'tag.write',
  effect: 'write',
  readCounterpart: 'churn.list',
  reaches: () => ({ intent: 'churn.list', slots: {} }),
  slots: z.object({
    list: z.enum(['churn']).describe('which member list: churn = the churn warning list'),
    tag: z.string().min(1).max(32).describe('tag name from the tag dictionary'),
  }),
  examples: [
    { text: '给流失名单打标签 流失风险', slots: { list: 'churn', tag: '流失风险' } },
    { text: 'tag the churn list as VIP', slots: { list: 'churn', tag: 'VIP' } },
    { text: '流失预警的会员都打上流失风险标签', slots: { list: 'churn', tag: '流失风险' } },
  ],
  rule: {
    keywords: [
      // "流失名单 打个老客": the tagging verb with its measure word (打个 / 贴个) or its result (打成 / 标为) is tagging too.
      [/流失(?:预警)?的?(?:名单|会员|客户|人|列表|老客)|沉睡会员|预警名单/, /标签|标记|打上|贴上|打个(?!电话|招呼|卡)|贴个|打成|标成|标为|标上/],
      [/\bchurn(?:ed)?\s*(?:list|members?|customers?)|\bat-?risk\s*(?:list|members?|customers?)/i, /\btag|\blabel|\bmark/i],
    ],
    extract: { list: 'list', tag: 'tag' },
    requires: [['list'], ['tag']],
    // Above recall.launch (7): "把流失会员全部标记为召回中" names a tag that contains 召回; a
    // tagging verb next to a member list is batch tagging.
    priority: 8,
  },
  async confirm(ctx, { list, tag }) {
    const access = staffAccess(ctx);
    const plan = await planBatchTag(access, list, tag, listMembers(access, list));
    if (plan.kind !== 'ready') return null; // run() explains the unknown tag; nothing to hold
    if (plan.memberIds.length === 0) return null;
    return t(ctx.lang, 'tags.batchPreview', { list: t(ctx.lang, LIST_LABEL[list]), count: plan.memberIds.length, tag: plan.tag.name });
  },
  async run(ctx, { list, tag }) {
    const access = staffAccess(ctx);
    const plan = await planBatchTag(access, list, tag, listMembers(access, list));
    if (plan.kind === 'unknown_tag') {
      return { text: t(ctx.lang, 'tags.batchUnknown', { name: plan.name, hint: plan.suggestions.length ? tagHint(plan.suggestions, [], ctx.lang) : '' }).replace('  ', ' ') };
    }
    if (plan.memberIds.length === 0) return { text: capitalize(t(ctx.lang, 'tags.batchEmpty', { list: t(ctx.lang, LIST_LABEL[list]) })) };
    const r = await applyBatchTag(access, list, plan);
    return { text: t(ctx.lang, 'tags.batchDone', { list: t(ctx.lang, LIST_LABEL[list]), count: r.total, tag: plan.tag.name, added: r.added }), data: r, outcome: 'done' };
  },
});
