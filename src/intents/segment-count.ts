import { z } from 'zod';
import { storeScope, type StaffAccess } from '../crm/kernel/index.ts';
import { describeTree } from './parse/segment-phrase.ts';
import { findSegmentInText, listSegments, refreshNow, visibleMemberCount, type SegmentInfo } from '../crm/insights/index.ts';
import { stamp } from './render/segments.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t, type Lang } from '../i18n/index.ts';

/** Words that point at a segment instead of naming it ("这个包多少人", "导出它", "export this segment", a bare "导出吧"). */
const POINTS_AT_SEGMENT = /这个|这一?个?(?:人群)?包|该(?:人群)?包|此(?:人群)?包|刚(?:才|建)的|上面的|它|\b(?:this|that|it)\b|^\s*(?:导出|下载|export|download)\s*(?:来|出来|吧|一下|them|it)*\s*[。.!！]*$/i;

/**
 * A name said right after the segment's noun ("人群包 不存在的包 有多少人", "segment 五月寿星 count"): the message names its
 * segment, so one that does not exist is not found — never the segment the conversation was about. The words that follow
 * the noun in a bare request (有多少, 现在, 吧, count …) are no name.
 */
const NAMES_A_SEGMENT = /(?:人群包|客群|人群|segment)[\s:：「“"']*(?!有|多少|几|人数|导出|下载|现在|目前|吧|呢|吗|的人|count|size|export|download|now)[\p{L}\p{N}]{2,}/iu;

/**
 * The segment a message names, or an answer listing what exists. A message that names none means the segment the
 * conversation was about (`about`: the earlier request the dialogue carries, src/bot/dialogue/segment-focus.ts — "导个表"
 * after its count); one that points at one ("这个包多少人" right after creating it), the sender's own newest segment.
 */
export async function segmentFromText(access: StaffAccess, text: string, lang: Lang = 'zh', about?: string): Promise<SegmentInfo | string> {
  const seg = (await findSegmentInText(access, text)) ?? (about && !NAMES_A_SEGMENT.test(text) ? await findSegmentInText(access, about) : undefined);
  if (seg) return seg;
  const visible = await listSegments(access);
  const own = POINTS_AT_SEGMENT.test(text) && access.actor.kind === 'staff' ? visible.find((s) => s.ownerStaffId === access.actor.staffId) : undefined;
  if (own) return own;
  const names = visible.slice(0, 8).map((s) => t(lang, 'segments.quoted', { name: s.name }));
  return names.length ? t(lang, 'segments.notFound', { names: names.join(lang === 'zh' ? '、' : ', ') }) : t(lang, 'segments.noneVisible');
}

/** The earlier request about the segment in the conversation, set by the dialogue (segment-focus.ts), never by a router: read only when `text` names no segment. */
export const ABOUT_SEGMENT = z.string().max(500).optional().describe('leave empty');

/** Asking for a fresh count ("重新计算", "最新", "refresh"): the segment is re-evaluated even if its last run is current. */
const FRESH = /刷新|重新计算|重算|最新|refresh|recompute|re-?evaluate|up[- ]to[- ]date/i;

/**
 * How many members a saved segment has: from its last run when its conditions have not changed
 * since (the scheduled refresh keeps dynamic segments current, src/jobs/segment-refresh.ts), with
 * that run's time — a count of a whole store's members is not recomputed on every turn; a
 * dynamic segment never run since its last change, or asked for fresh, is re-evaluated first.
 */
export const segmentCount = defineIntent({
  name: 'segment.count',
  audience: 'staff',
  description: 'Tell how many members a saved segment (人群包) has now, re-evaluating a dynamic segment first.',
  title: '人群包人数',
  permission: 'segment.read',
  effect: 'read',
  slots: z.object({ text: z.string().min(1).max(500).describe('the whole request, naming the segment, e.g. "人群包 高价值沉睡会员 有多少人"'), about: ABOUT_SEGMENT }),
  examples: [
    { text: '人群包 高价值沉睡会员 有多少人', slots: { text: '人群包 高价值沉睡会员 有多少人' } },
    { text: '人群包五月寿星的人数', slots: { text: '人群包五月寿星的人数' } },
    { text: '客群 高价值沉睡会员 有多少人', slots: { text: '客群 高价值沉睡会员 有多少人' } },
    { text: 'how many members in segment VIP-A', slots: { text: 'how many members in segment VIP-A' } },
  ],
  rule: {
    keywords: [['人群包', /多少人|多少位|多少个|人数|几个人|几人|规模|多大/], [/人群|客群/, /多少人|多少位|人数|几个人|几人|规模|多大/], ['segment', /how many|count|size/]],
    extract: { text: 'text' },
    requires: [['text']],
    priority: 7,
  },
  async run(ctx, { text, about }) {
    const access = staffAccess(ctx);
    const found = await segmentFromText(access, text, ctx.lang, about);
    if (typeof found === 'string') return { text: found };
    // Just created in chat, its first count still running in a job (src/jobs/segment-refresh.ts): never counted a second time here.
    if (found.lastRunAt === null) return { text: t(ctx.lang, 'segments.stillCounting', { name: found.name }), data: { segmentId: found.id, counting: true } };
    const current = found.lastRunAt !== null && found.lastCount !== null && found.lastRunAt.getTime() >= found.updatedAt.getTime();
    const run = found.kind === 'dynamic' && (!current || FRESH.test(text)) ? await refreshNow(access, found.id) : null;
    const whole = run?.count ?? found.lastCount ?? (await visibleMemberCount(access, found));
    // Store-scoped staff also get their stores' share (segment_members of the last run, members in scope).
    const count = storeScope(access.actor) === null ? whole : await visibleMemberCount(access, found);
    const lang = ctx.lang;
    const scoped = storeScope(access.actor) !== null && count !== whole ? t(lang, 'segments.countScoped', { count }) : '';
    const lines = [
      t(lang, 'segments.countNow', { name: found.name, count: whole, scoped }),
      run
        ? t(lang, 'segments.recomputed', { joined: run.joined, left: run.left })
        : found.kind === 'dynamic'
          ? t(lang, 'segments.lastRun', { at: stamp(found.lastRunAt!) })
          : t(lang, 'segments.frozen', { at: stamp(found.lastRunAt ?? found.createdAt) }),
      t(lang, 'segments.conditions', { tree: describeTree(found.tree), byAi: '' }),
    ];
    return { text: lines.join('\n'), data: { segmentId: found.id, count: whole, visible: count, joined: run?.joined, left: run?.left } };
  },
});
