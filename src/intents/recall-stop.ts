import { z } from 'zod';
import { getRecall, listRecalls, mayStop, stopRecall } from '../crm/automation/index.ts';
import { formatMonthDayTime } from '../crm/kernel/index.ts';
import { t } from '../i18n/index.ts';
import { renderRecallItem } from './render/recall.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

/** The recall's number as people write it: 停止召回 12, 召回#12, 12号召回, stop recall 12. */
export function recallNumber(text: string): number | undefined {
  const s = text.normalize('NFKC');
  const m = /召回\s*(?:编号|#|No\.?|第)?\s*(\d{1,9})|(?:#|第|编号)?\s*(\d{1,9})\s*(?:号|个)?\s*召回|\brecall\s*(?:no\.?|number|#)?\s*(\d{1,9})\b|#(\d{1,9})/i.exec(s);
  const n = Number(m?.[1] ?? m?.[2] ?? m?.[3] ?? m?.[4]);
  return Number.isInteger(n) && n > 0 && n <= 2_147_483_647 ? n : undefined;
}

/** The recall just launched, pointed at ("停掉刚才那个", "刚发的那个停了吧", "stop the one I just sent"). */
const JUST_SENT = /刚才|刚刚|刚(?=发|启动|开始|做|搞|弄)|\bjust (?:sent|launched|started)\b|\b(?:last|latest) one\b/i;

/**
 * 停止召回 N / stop recall N: a control action held for confirmation (the preview says how many
 * are sent and how many will not be), allowed to the launcher, a manager of the recall's store or
 * an admin; the write gate applies — "先别停", "召回停了吗" never stop (a question gets the list).
 * Without a number it names the running recalls the sender may stop.
 */
export const recallStopIntent = defineIntent({
  name: 'recall.stop',
  audience: 'staff',
  description: 'Stop a running recall by its number: nothing more is sent, members not yet sent are recorded as cancelled, those sent stay sent. Needs confirmation; the launcher may, and HQ operators, marketers, admins or a manager of its store.',
  title: '停止召回（不再发送）',
  permission: 'recall.launch',
  effect: 'control',
  readCounterpart: 'recall.list',
  slots: z.object({
    recallId: z.number().int().positive().max(2_147_483_647).optional().describe('the recall number shown in the recall list'),
    latest: z.boolean().optional().describe('the recall the sender launched last, pointed at without its number ("停掉刚才那个")'),
  }),
  examples: [
    { text: '停止召回 12', slots: { recallId: 12 } },
    { text: '把 12 号召回停掉', slots: { recallId: 12 } },
    { text: 'stop recall 12', slots: { recallId: 12 } },
    { text: 'halt recall #7', slots: { recallId: 7 } },
  ],
  rule: {
    keywords: [
      [/召回/, /停止|停掉|停下|停了|停一下|终止|中止|暂停|叫停|别发了|不要再发|停发|停/],
      [/\brecall\b/i, /\bstop\b|\bhalt\b|\babort\b|\bterminate\b|\bpause\b/i],
      // "先别停" right after the bot asked to confirm a stop: withdraws it (the gate). A bare "停" is
      // left to action.cancel: it is the usual way to drop whatever preview is waiting.
      /^\s*(?:先|还是|暂时)?(?:别|不要|不用|先不|不)(?:停止|停掉|停下|停)(?:了|吧|啦|一下)?\s*[。.!！]?\s*$/,
    ],
    derive: (text) => ({ recallId: recallNumber(text), latest: recallNumber(text) === undefined && JUST_SENT.test(text) ? true : undefined }),
    // Above recall.list (8): "召回 12 停掉" names a recall to stop; a question about stopping goes to the list through the gate.
    priority: 8.5,
  },
  async confirm(ctx, slots) {
    const access = staffAccess(ctx);
    const recallId = slots.recallId ?? (slots.latest ? await latestOwn(access) : undefined);
    if (!recallId) return null; // run() names the recalls to choose from
    const r = await getRecall(access, recallId);
    // Not stoppable by this person, already stopped or finished: run() says so at once (nothing to hold).
    if (r.state !== 'running' || !mayStop(access.actor, { staff_id: r.launchedBy.staffId, store_id: r.storeId })) return null;
    return t(ctx.lang, 'recallControl.stop.preview', { id: r.id, audience: r.audience, by: r.launchedBy.name ?? '?', date: formatMonthDayTime(r.launchedAt), sent: r.counts.sent, pending: r.counts.pending });
  },
  async run(ctx, slots) {
    const access = staffAccess(ctx);
    const lang = ctx.lang;
    const recallId = slots.recallId ?? (slots.latest ? await latestOwn(access) : undefined);
    if (!recallId) {
      const running = (await listRecalls(access, { state: 'running', limit: 10 })).filter((r) => mayStop(access.actor, { staff_id: r.launchedBy.staffId, store_id: r.storeId }));
      if (!running.length) return { text: t(lang, 'recallControl.stop.noneRunning'), outcome: 'answered' };
      return { text: [t(lang, 'recallControl.stop.which'), t(lang, 'recallControl.stop.running'), ...running.map((r) => renderRecallItem(lang, r))].join('\n'), data: running, outcome: 'asked' };
    }
    const s = await stopRecall(access, recallId);
    const c = s.counts;
    if (s.alreadyStopped) return { text: t(lang, 'recallControl.stop.already', { id: s.recallId, date: formatMonthDayTime(s.stoppedAt), sent: c.sent, cancelled: c.cancelled }), data: s, outcome: 'answered' };
    return { text: t(lang, 'recallControl.stop.done', { id: s.recallId, audience: s.audience, sent: c.sent, failed: c.failed, cancelled: c.cancelled }), data: s, outcome: 'done' };
  },
});

/** The running recall this sender launched last ("刚才那个"): the one they just sent, or undefined (then the running ones are named). */
async function latestOwn(access: ReturnType<typeof staffAccess>): Promise<number | undefined> {
  const running = await listRecalls(access, { state: 'running', limit: 10 });
  return running.find((r) => r.launchedBy.staffId === access.actor.staffId)?.id;
}
