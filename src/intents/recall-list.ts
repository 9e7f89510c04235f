import { z } from 'zod';
import { listRecalls } from '../crm/automation/index.ts';
import { t } from '../i18n/index.ts';
import { renderRecallItem } from './render/recall.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { RECALL_VERB } from './parse/recall-words.ts';

/**
 * 召回列表 / list recalls: the running recalls and those of the last 30 days the staff member may
 * see (their stores' and their own), each with its number, state, who launched it and when, and
 * progress (sent, failed, pending, cancelled) — the numbers 停止召回 N takes. Never changes anything.
 */
export const recallListIntent = defineIntent({
  name: 'recall.list',
  audience: 'staff',
  description: 'List the running and recent recalls (last 30 days) of the staff member’s stores with their number, state, launcher, launch time and progress (sent, failed, pending, cancelled). Read only.',
  title: '召回列表（进行中和最近的召回）',
  permission: 'journey.read',
  effect: 'read',
  // "停掉第一个" after the list: the recall of that row, stopped (previewed for 确认).
  rowControls: [{ intent: 'recall.stop', idSlot: 'recallId' }],
  slots: z.object({ limit: z.number().int().min(1).max(20).optional().describe('how many recalls to show (default 10)') }),
  examples: [
    { text: '召回列表', slots: {} },
    { text: '现在有哪些召回在进行', slots: {} },
    { text: 'list recalls', slots: {} },
    { text: 'which recalls are running', slots: {} },
  ],
  rule: {
    keywords: [
      [RECALL_VERB, /列表|清单|有哪些|有几个|哪几个|都有啥|在跑|在进行|进行中的|正在进行|停了吗|停止了吗|停掉了吗|停了没/],
      // Narrow in English: "recall the churn list" is a launch, not a list of recalls.
      /\blist (?:the |all |my |our )?recalls\b|\brecall list\b|\b(?:which|what) recalls\b|\brecalls (?:are |that are )?(?:running|active|ongoing|in progress)\b|\b(?:running|active|ongoing|current) recalls\b/i,
    ],
    extract: { limit: 'count' },
    // Above recall.status (7.5) and recall.launch (7): a list of recalls is neither.
    priority: 8,
  },
  async run(ctx, { limit }) {
    const lang = ctx.lang;
    const items = await listRecalls(staffAccess(ctx), { limit: limit ?? 10 });
    if (!items.length) return { text: t(lang, 'recallControl.none'), data: [] };
    const running = items.find((r) => r.state === 'running');
    const lines = [t(lang, 'recallControl.head', { n: items.length }), ...items.map((r) => renderRecallItem(lang, r))];
    if (running) lines.push(t(lang, 'recallControl.hint', { id: running.id }));
    return { text: lines.join('\n'), data: items };
  },
});
