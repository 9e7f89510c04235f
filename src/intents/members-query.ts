import { z } from 'zod';
import { similarTags, tagDictionary } from '../crm/engagement/index.ts';
import { previewTree, snapshotMemberCount, type SegmentNode } from '../crm/insights/index.ts';
import { chinaStamp } from './render/insights.ts';
import { storeScope } from '../crm/kernel/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { resolveStore, storeDirectory } from './router/stores.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

const slots = z.object({
  tag: z.string().min(1).max(32).optional().describe('only members with this tag (from the tag dictionary)'),
  level: z.number().int().min(1).max(9).optional().describe('only members at this membership level'),
  store: z.string().min(1).max(64).optional().describe('only members of this home store, by its name (one of the staff member\'s stores)'),
  mode: z.enum(['count', 'list']).optional().describe('count (default) or list the members'),
  text: z.string().max(500).optional().describe('the whole request (count or list is read from it when mode is not given)'),
});

/** "都有谁", "名单", "list", "who": the member list rather than a number. */
const LIST_WORDS = /谁|哪些|哪几位|哪几个|名单|列表|清单|列出|列一下|列个|\blist\b|\bwho\b|\bwhich\b|\bshow\b|\bnames?\b/i;

export function modeFromText(text: string | undefined): 'count' | 'list' {
  return text && LIST_WORDS.test(text) ? 'list' : 'count';
}

/** "有几个", "多少人", "会员数", "how many": a number asked for in so many words. */
// "# of …", "no. of …", "nr of …": the written shorthand of "number of" (session 17).
const COUNT_WORDS = /多少|几|幾|[人员員]数|\bmembers?\s*数|數|数量|总数|總數|总共|一共|\bhow many\b|\bcount\b|\bnumber\b|\btotal\b|(?:#|\bno\.|\bnr\.?|\bnum\.?)\s*of\b/i;

/**
 * The mode the message states, undefined when it states none ("有爱吃辣标签的会员"): the answer
 * still counts by default (run reads modeFromText), but a slot nobody said is not reported as said.
 */
export function statedMode(text: string): 'count' | 'list' | undefined {
  if (LIST_WORDS.test(text)) return 'list';
  if (COUNT_WORDS.test(text)) return 'count';
  // The level and a plural noun with no number asked ("level 5 members", "lv5 members"): the members, as "list level 5 members".
  return EN_LEVEL_LIST.test(text) ? 'list' : undefined;
}

// A question about how many or which members, not about one of the other numbers people ask
// (流失, 新增, 积分 … belong to churn.list, insights.health, points). The zero-width guard fails
// the trigger when such a word appears anywhere and matches nothing itself, so no text is
// taken from a slot.
const NOT_OTHER = /^(?![\s\S]*(?:流失|沉睡|没来|不来|没再来|预警|新增|新会员|新注册|活跃|复购|回购|留存|客单价|健康|分层|人群|客群|召回|KOC|积分|消费|订单|工单|churn|dormant|lapsed|at.?risk|new members|active members|retention|repeat|segment|recall|points|orders?\b|tickets?\b))/i;
const SUBJECT = '(?:会员|客人|顾客|客户)';
const HOW_MANY = new RegExp(`${SUBJECT}(?:人?数量?)?\\s*(?:一共|总共|共)?(?:有|是)?\\s*(?:多少|几)(?:个|位|人|名)?(?![积分钱元块单次天月年级])`);
// 几 needs a measure word: 几级会员 asks for a level.
const HOW_MANY_BEFORE = new RegExp(`(?:多少(?:个|位|名)?|几(?:个|位|名))(?=[^，。,.?？!！]{0,12}?${SUBJECT})`);
const COUNT_NOUN = new RegExp(`${SUBJECT}(?:总)?(?:人)?数(?:量|目)?(?!据)`);
const WHO = new RegExp(`${SUBJECT}(?:都|分别)?(?:有谁|是谁|有哪些|是哪些|有哪几位|名单|列表|清单)|都有谁|都有哪些人|有哪些人|是哪些人|(?:都有|有|是)哪些${SUBJECT}`);
const EN_COUNT = /\bhow many\b(?=[^?.!]{0,40}\b(?:members?|customers?)\b)|\b(?:count|number) of (?:members|customers)\b/i;
const EN_LIST = /\blist (?:the |all )?(?:members|customers)\b|\bwhich (?:members|customers)\b|\bwho(?:'s| is| are) (?:tagged|at level|on level)\b|\bmembers? (?:tagged|with the tag)\b/i;
// A list by level, not one member's level ("level 5 list", "list the level 4 members", "L3 members"):
// the level is followed by a list or plural noun, or comes after "list".
const EN_LEVEL_LIST = /\b(?:level|lv|l)\s*\d\s+(?:list|members|customers|people|names)\b|\blist\b[^.?!]{0,16}\b(?:level|lv)\s*\d/i;
// People by tag ("谁有家庭客标签", "who has the 爱吃辣 tag", "people tagged 新客"): the tag's holders, not a member's tags.
const TAG_HOLDERS = /谁(?:有|带|带有|打了|被打了?)[^，。,.?？!！]{1,12}标签|\bwho (?:has|have|got) (?:the |a |an )?\S+(?: \S+)? (?:tag|label)\b|\b(?:people|anyone|everyone|everybody|customers) (?:tagged|labell?ed)\b/i;

/** The dictionary's spelling of a tag (case-insensitive), or similar names: an unknown tag is said so, not counted as 0. */
async function knownTag(services: Services, tag: string): Promise<{ name: string } | { similar: string[] }> {
  const names = (await tagDictionary(services)).map((x) => x.name);
  // "有VIP标签的": the router may hand over the verb with the name (有VIP, 带VIP, 打了VIP).
  const bare = tag.replace(/^(?:带有|有着|打了|贴了|打过|有|带)/, '');
  const hit = names.find((n) => n.toLowerCase() === tag.toLowerCase()) ?? names.find((n) => n.toLowerCase() === bare.toLowerCase());
  return hit ? { name: hit } : { similar: similarTags(tag, names, 3) };
}

function conditionsText(lang: Lang, tag: string | undefined, level: number | undefined): string {
  const parts = [level === undefined ? '' : t(lang, 'membersQuery.level', { level }), tag === undefined ? '' : t(lang, 'membersQuery.tag', { tag })].filter(Boolean);
  return parts.join(lang === 'zh' ? '、' : ', ');
}

/**
 * 有VIP标签的会员有几个 / 徐汇店5级会员都有谁: an ad-hoc count or list of members by tag, level
 * and home store, without saving a segment. The conditions become an unsaved segment tree that
 * the segment engine evaluates in the staff member's store scope (previewTree: the same count,
 * sample and audit row as a segment preview).
 */
export const membersQuery = defineIntent({
  name: 'members.query',
  audience: 'staff',
  description: "Count or list the members of the staff member's stores by tag, membership level and home store, without saving a segment.",
  title: '按标签/等级/门店数会员、列名单',
  permission: 'segment.read',
  effect: 'read',
  slots,
  examples: [
    { text: 'VIP标签的会员有几个', slots: { mode: 'count', tag: 'VIP', text: 'VIP标签的会员有几个' } },
    { text: '上海一店2级会员都有谁', slots: { mode: 'list', store: '上海一店', level: 2, text: '上海一店2级会员都有谁' } },
    { text: '本店有多少会员', slots: { mode: 'count', text: '本店有多少会员' } },
    { text: 'how many members are tagged VIP', slots: { mode: 'count', tag: 'VIP', text: 'how many members are tagged VIP' } },
    { text: 'list members tagged 高价值', slots: { mode: 'list', tag: '高价值', text: 'list members tagged 高价值' } },
  ],
  rule: {
    keywords: [[NOT_OTHER, HOW_MANY], [NOT_OTHER, COUNT_NOUN], [NOT_OTHER, HOW_MANY_BEFORE], [NOT_OTHER, WHO], [NOT_OTHER, EN_COUNT], [NOT_OTHER, EN_LIST], [NOT_OTHER, EN_LEVEL_LIST], [NOT_OTHER, TAG_HOLDERS]],
    extract: { tag: 'tag', level: 'level', store: 'store', text: 'text' },
    derive: (text) => ({ mode: statedMode(text) }),
    priority: 6,
  },
  async run(ctx, { tag, level, store, mode, text }) {
    const access = staffAccess(ctx);
    const lang = ctx.lang;
    let storeId: number | undefined;
    let scopeName = storeScope(access.actor) === null ? t(lang, 'membersQuery.allStores') : t(lang, 'membersQuery.yourStores');
    if (store !== undefined) {
      const named = resolveStore(store, await storeDirectory(ctx.services));
      if (!named) return { text: t(lang, 'membersQuery.unknownStore', { store }) };
      const mine = storeScope(access.actor);
      if (mine !== null && !mine.includes(named.id)) return { text: t(lang, 'membersQuery.storeOutOfScope', { store: named.name }) };
      storeId = named.id;
      scopeName = named.name;
    }
    let tagName: string | undefined;
    if (tag !== undefined) {
      const found = await knownTag(ctx.services, tag);
      if ('similar' in found) return { text: found.similar.length ? t(lang, 'membersQuery.similarTags', { tag, similar: found.similar.map((s) => (lang === 'zh' ? `「${s}」` : `“${s}”`)).join(lang === 'zh' ? '、' : ', ') }) : t(lang, 'membersQuery.unknownTag', { tag }) };
      tagName = found.name;
    }
    // A count without a tag — the whole scope, or one membership level — is the scoring run's
    // per-store counts (as of that run, said in the reply): counting live passed over every member
    // of the stores. A tag, or a list (names), is evaluated live.
    if (tagName === undefined && (mode ?? modeFromText(text)) === 'count') {
      const snap = await snapshotMemberCount(access, { storeId, level });
      if (snap) {
        const conditions = conditionsText(lang, undefined, level);
        const share = `${(snap.total ? (snap.count / snap.total) * 100 : 0).toFixed(1)}%`;
        const params = { scope: scopeName, conditions, count: snap.count, total: snap.total, share };
        const data = { count: snap.count, total: snap.total, level, storeId, asOf: snap.asOf, memberIds: [] as number[] };
        const asOf = t(lang, 'membersQuery.asOf', { at: chinaStamp(snap.asOf) });
        if (snap.count === 0 && conditions) return { text: `${t(lang, 'membersQuery.none', params)}\n${asOf}`, data };
        return { text: `${t(lang, conditions ? 'membersQuery.count' : 'membersQuery.countAll', params)}\n${asOf}`, data };
      }
    }
    const conds: SegmentNode[] = [];
    if (tagName !== undefined) conds.push({ tag: tagName });
    if (level !== undefined) conds.push({ field: 'level', op: 'eq', value: level });
    // No condition at all ("本店有多少会员"): every live member in scope.
    const root: SegmentNode = conds.length === 1 ? conds[0]! : conds.length ? { and: conds } : { field: 'status', op: 'in', value: ['active', 'frozen'] };
    const preview = await previewTree(access, { version: 1, root }, { storeId });
    const conditions = conditionsText(lang, tagName, level);
    const share = `${(preview.share * 100).toFixed(1)}%`;
    const params = { scope: scopeName, conditions, count: preview.count, total: preview.total, share };
    const data = { count: preview.count, total: preview.total, tag: tagName, level, storeId, memberIds: preview.sample.map((m) => m.memberId) };
    if (preview.count === 0 && conditions) return { text: t(lang, 'membersQuery.none', params), data };
    if ((mode ?? modeFromText(text)) === 'count') {
      return { text: conditions ? t(lang, 'membersQuery.count', params) : t(lang, 'membersQuery.countAll', params), data };
    }
    const more = preview.count > preview.sample.length ? t(lang, 'membersQuery.listMore', { shown: preview.sample.length }) : '';
    const lines = [
      t(lang, conditions ? 'membersQuery.listHead' : 'membersQuery.listHeadAll', { ...params, more }),
      ...preview.sample.map((m) => t(lang, 'membersQuery.line', { name: m.name, memberNo: m.memberNo, level: m.level, phone: m.phone, store: m.homeStore && storeId === undefined ? ` · ${m.homeStore}` : '' })),
    ];
    if (conditions) lines.push(t(lang, 'membersQuery.saveHint'));
    return { text: lines.join('\n'), data };
  },
});
