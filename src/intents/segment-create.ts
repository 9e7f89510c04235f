import { z } from 'zod';
import { describeTree, parsePhrase, phraseKind, type PhraseOptions } from './parse/segment-phrase.ts';
import { findSegmentInText, previewTree, saveSegment, updateSegment, type SegmentTree } from '../crm/insights/index.ts';
import { storeDirectory } from './router/stores.ts';
import { ABOUT_SEGMENT } from './segment-count.ts';
import { tagDictionary } from '../crm/engagement/index.ts';
import { queueSegmentCount } from '../jobs/segment-refresh.ts';
import { llmFor } from '../llm/client.ts';
import { segmentTreeFromText } from '../llm/segment-tree.ts';
import { kindText } from './render/segments.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { staffAccess } from './staff.ts';
import { defineIntent, type IntentContext } from './types.ts';


/** 圈人 / 圈一批 … / 圈出: staff's word for picking out a group of members to save. */
const CIRCLE = /圈(?:一批|一些|一下|出|选)|圈人/;

/** Saving a group of people in plain words: 存成/存为/做成 (一个) 人群包 / 一组. */
const SAVE_AS_GROUP = /(?:存|保存|做|弄|建)(?:成|为)\s*(?:一个|一|个)?\s*(?:人群包|人群|客群|组)/;
/** A group to keep, its conditions after a colon: "想存一组人：最近90天没来 …". */
const KEEP_A_GROUP = /(?:存|建|圈)(?:一组|一批)(?:人|会员|客人|客户)?\s*[:：]/;
/** The name said after the conditions: "… 叫辣党", "… 名字叫高价值沉睡". */
const NAME_LAST = /\s*[,，]?\s*(?:名字叫做?|名字是|名称(?:是|为)|就叫|叫做?|名为)\s*[「“"'『]?([^\s「」“”"'『』,，。]{1,32})[」”"'』]?(?:\s.*)?$/s;

/**
 * The conditions first and the name last, as a newcomer says it: "把打了爱吃辣标签的人存成一个人群包 叫辣党",
 * "想存一组人：最近90天没来 而且累计消费2000以上 名字叫高价值沉睡". What follows the name ("以后发活动用") is dropped.
 */
function nameLast(text: string): { name: string; conditions: string } | undefined {
  const named = NAME_LAST.exec(text);
  if (!named) return undefined;
  const before = text.slice(0, named.index);
  const saved = SAVE_AS_GROUP.exec(before);
  if (saved) {
    const conditions = before.slice(0, saved.index).replace(/^.*?(?:把|将)/, '').replace(/(?:的人|的会员|的客人|的客户|这些人|那些人|这批人)\s*$/, '').trim();
    return conditions ? { name: named[1]!, conditions } : undefined;
  }
  const group = KEEP_A_GROUP.exec(before);
  const conditions = group ? before.slice(group.index + group[0].length).trim() : '';
  return conditions ? { name: named[1]!, conditions } : undefined;
}

/** What the condition parser reads beside its own words: the chain's tag dictionary and store directory. */
export async function phraseOptions(services: Services): Promise<PhraseOptions> {
  return { tags: (await tagDictionary(services)).map((x) => x.name), stores: await storeDirectory(services) };
}

/** The parts of a condition phrase the parser did not read, quoted, with examples of what it reads. */
function notUnderstood(lang: Lang, unparsed: readonly string[]) {
  return { text: t(lang, 'segments.notUnderstood', { parts: unparsed.map((u) => t(lang, 'segments.quoted', { name: u })).join(lang === 'zh' ? '、' : ', '), hint: t(lang, 'segments.examplesHint') }) };
}

/** "创建人群包 X：conditions" → name and condition phrase (also "名为X 条件…", "X 条件…" and the name said last). */
export function splitRequest(text: string): { name?: string; conditions?: string } {
  const last = nameLast(text);
  if (last) return last;
  const body = text.replace(/^.*?(?:人群包|人群|客群|segment|圈(?:一批|一些|一下|出|选)?(?:人|会员|客户|顾客)?)\s*/i, '').replace(/^(?:叫做?|名为|名称为|名字是|name[d]?)\s*/i, '').trim();
  const quoted = /^[「“"'『](.+?)[」”"'』]\s*[:：,，]?\s*(?:条件(?:是|为)?\s*[:：]?)?\s*(.*)$/s.exec(body);
  if (quoted) return { name: quoted[1]!.trim(), conditions: quoted[2]!.trim() || undefined };
  const colon = /^(.+?)\s*[:：]\s*(.*)$/s.exec(body);
  if (colon) return { name: colon[1]!.replace(/[,，]?\s*条件(?:是|为)?$/, '').trim(), conditions: colon[2]!.trim() || undefined };
  const cond = /^(.+?)\s*[,，]?\s*条件(?:是|为)?\s*(.+)$/s.exec(body);
  if (cond) return { name: cond[1]!.trim(), conditions: cond[2]!.trim() };
  const space = /^(\S+)\s+(.+)$/s.exec(body);
  if (space) return { name: space[1]!, conditions: space[2]!.trim() };
  return { name: body || undefined };
}

/**
 * "只要3级以上", "再加个条件 爱吃辣", "只圈徐汇的" right after a segment was made or counted (the dialogue's segment-narrow.ts
 * sets `about`, the earlier request naming it; `text` is the added condition): the same segment, its conditions and the
 * new one both required — a new revision (updateSegment), re-counted. Only a dynamic segment the actor may change.
 */
async function narrowSegment(ctx: IntentContext, access: ReturnType<typeof staffAccess>, text: string, about: string) {
  const lang = ctx.lang;
  const segment = await findSegmentInText(access, about);
  if (!segment) return { text: t(lang, 'segments.missingBoth', { hint: t(lang, 'segments.formatHint') }) };
  if (segment.kind === 'static') return { text: t(lang, 'segments.narrowStatic', { name: segment.name }) };
  const parsed = parsePhrase(text, ctx.services.now(), await phraseOptions(ctx.services));
  if (!parsed.tree) return notUnderstood(lang, parsed.unparsed);
  const before = segment.tree as SegmentTree;
  const kept = 'and' in before.root ? before.root.and : [before.root];
  const added = 'and' in parsed.tree.root ? parsed.tree.root.and : [parsed.tree.root];
  const tree: SegmentTree = { version: 1, root: { and: [...kept, ...added] } };
  const { segment: saved, run } = await updateSegment(access, segment.id, { tree });
  const lines = [
    t(lang, 'segments.narrowed', { name: saved.name, added: describeTree(parsed.tree) }),
    t(lang, 'segments.conditions', { tree: describeTree(tree), byAi: '' }),
    ...(run ? [t(lang, 'segments.countNow', { name: saved.name, count: run.count, scoped: '' })] : []),
  ];
  return { text: lines.join('\n'), data: { segment: { id: saved.id, name: saved.name, tree }, narrowed: true }, outcome: 'done' as const };
}

/** Create a segment from a chat phrase: parse the conditions, preview, save. */
export const segmentCreate = defineIntent({
  name: 'segment.create',
  audience: 'staff',
  description: 'Create a saved member segment (人群包) from a name and conditions phrased in Chinese; its members are counted in the background and the count is sent when done.',
  title: '创建人群包',
  permission: 'segment.write',
  effect: 'write',
  slots: z.object({
    text: z.string().min(1).max(500).describe('the whole request: segment name, a colon, then the conditions, e.g. "创建人群包 高价值沉睡会员：最近90天没消费 且 累计消费大于2000"'),
    about: ABOUT_SEGMENT,
  }),
  examples: [
    { text: '创建人群包 高价值沉睡会员：最近90天没消费 且 累计消费大于2000', slots: { text: '创建人群包 高价值沉睡会员:最近90天没消费 且 累计消费大于2000' } },
    { text: '新建人群包 活跃高等级：等级>3 且 最近30天消费>500元', slots: { text: '新建人群包 活跃高等级:等级>3 且 最近30天消费>500元' } },
    { text: '建个客群 五月寿星：5月生日', slots: { text: '建个客群 五月寿星:5月生日' } },
    { text: '圈人 高消费老客：累计消费大于2000', slots: { text: '圈人 高消费老客:累计消费大于2000' } },
    { text: 'create segment 五月寿星: 5月生日', slots: { text: 'create segment 五月寿星: 5月生日' } },
    { text: 'create a segment called big spenders: total spend over 2000', slots: { text: 'create a segment called big spenders: total spend over 2000' } },
  ],
  rule: {
    keywords: [['创建', '人群包'], ['新建', '人群包'], ['建', '人群包'], ['生成', '人群包'], ['建立', '人群'], [/创建|新建|建|生成|建立/, /客群|人群/], CIRCLE, SAVE_AS_GROUP, KEEP_A_GROUP, 'create segment', 'new segment', /\b(?:create|make|build|new) an? segment\b/i],
    extract: { text: 'text' },
    requires: [['text']],
    priority: 8,
  },
  async run(ctx, { text, about }) {
    const access = staffAccess(ctx);
    if (about) return narrowSegment(ctx, access, text, about);
    const split = splitRequest(text);
    // "圈一批最近90天没消费的人": conditions without a name; say how many it picks and ask for a name.
    if (CIRCLE.test(text) && split.name && !split.conditions) {
      const parsed = parsePhrase(split.name, ctx.services.now());
      if (!parsed.tree || parsed.unparsed.length) return { text: t(ctx.lang, 'segmentWords.needNameUnparsed') };
      const preview = await previewTree(access, parsed.tree);
      return { text: t(ctx.lang, 'segmentWords.needName', { conditions: split.name, count: preview.count, example: ctx.lang === 'zh' ? '名称' : 'name' }), data: { preview } };
    }
    // A clause naming a tag of the dictionary alone ("家庭客 且 最近30天消费过") or a store is that tag or store.
    const options = await phraseOptions(ctx.services);
    const now = ctx.services.now();
    // "建个人群包 爱吃辣且3级以上": conditions said with no name — every word of them understood — are the segment, named
    // by its conditions (renamed later as any segment is); a name with nothing the parser reads stays a name asked for conditions.
    const bare = split.name && !split.conditions ? parsePhrase(split.name, now, options) : undefined;
    const conditionsOnly = bare?.tree !== undefined && bare.unparsed.length === 0;
    const { name, conditions } = conditionsOnly ? { name: split.name, conditions: split.name } : split;
    const lang = ctx.lang;
    const hint = t(lang, 'segments.formatHint');
    if (!name || !conditions) return { text: t(lang, name ? 'segments.missingConditions' : 'segments.missingBoth', { hint }) };
    if (name.length > 64) return { text: t(lang, 'segments.nameTooLong', { hint }) };
    const parsed = conditionsOnly ? bare! : parsePhrase(conditions, now, options);
    // Parts the rule parser did not understand go to the LLM when one is configured (the
    // natural-language segment builder, docs/intents.md); on timeout, error or invalid output the rule
    // parser's answer stands, "not understood" note included.
    let tree = parsed.tree;
    let byLlm = false;
    const chat = parsed.unparsed.length ? llmFor(ctx.services) : null;
    if (chat) {
      const answer = await segmentTreeFromText(chat, ctx.services, conditions, { requestId: ctx.requestId, names: [ctx.actor.name] });
      if (answer.tree) {
        tree = answer.tree;
        byLlm = true;
      }
    }
    if (!tree) return notUnderstood(lang, parsed.unparsed);
    // Saved at once (the tree compiled first: nothing is saved when it would fail); the members are
    // counted by a job, which tells the staff member (src/jobs/segment-refresh.ts) — at a million
    // members the evaluation takes seconds (docs/segments.md, "Counted in the background").
    // "创建静态人群包 X：…": the kind said anywhere in the request (a static list stays static).
    const kind = phraseKind(text) ?? parsed.kind;
    const segment = await saveSegment(access, { name, tree, ...(kind ? { kind } : {}) });
    const pushes = ctx.channel !== 'console';
    await queueSegmentCount(ctx.services, { kind: 'segment-count', segmentId: segment.id, ...(pushes ? { notify: { channel: ctx.channel, to: access.actor.wecomUserId, lang } } : {}) }).catch((err) =>
      // Saved all the same: the scheduled refresh counts a segment never run (its notice is then the next question's answer).
      ctx.services.logger.warn({ err: String(err), segmentId: segment.id }, 'segment count not queued'),
    );
    const lines = [
      t(lang, 'segments.created', { name: segment.name, kind: kindText(segment.kind, lang) }),
      t(lang, 'segments.conditions', { tree: describeTree(segment.tree), byAi: byLlm ? t(lang, 'segments.byAi') : '' }),
      t(lang, pushes ? 'segments.counting' : 'segments.countingConsole', { name: segment.name }),
    ];
    return { text: lines.join('\n'), data: { segment: { id: segment.id, name: segment.name, tree: segment.tree }, counting: true, conditionsBy: byLlm ? 'llm' : 'rules' }, outcome: 'done' };
  },
});
