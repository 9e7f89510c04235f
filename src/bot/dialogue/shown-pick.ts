import { listTickets } from '../../crm/service/index.ts';
import { memberTagNames, tagDictionary } from '../../crm/engagement/index.ts';
import { findDictionaryTags } from '../../intents/router/extract.ts';
import { findLevel, findStore, storeDirectory } from '../../intents/router/stores.ts';
import { toSimplified } from '../../intents/router/traditional.ts';
import type { IntentDef, Trigger } from '../../intents/types.ts';
import { pointsAtMember } from '../../intents/router/member-pointer.ts';
import { PLURAL_POINTER, type DialogueContext, type Plan, type Recent, type Turn } from './context.ts';
import { asksForDetail } from './list-pick.ts';
import { namesMember, takesMember, withoutMemberRefs } from './member-refs.ts';
import type { ShownMember } from './state.ts';

/** At most this many members of an answer are remembered. */
const MAX_MEMBERS = 20;

/**
 * The members an answer showed, with what staff may describe them by: the churn list's rows (name, home store), today's
 * follow-ups (what the note says) and due tickets (the ticket's title). Null when it showed none.
 */
export function shownMembers(data: unknown): ShownMember[] | null {
  const d = (data ?? {}) as { entries?: unknown; followUps?: { interactions?: unknown }; tickets?: unknown };
  const rows: unknown[] = [
    ...(Array.isArray(data) ? data : []),
    ...(Array.isArray(d.entries) ? d.entries : []),
    ...(Array.isArray(d.followUps?.interactions) ? d.followUps.interactions : []),
    ...((d.tickets as { tickets?: unknown } | undefined)?.tickets instanceof Array ? ((d.tickets as { tickets: unknown[] }).tickets) : []),
  ];
  const byNo = new Map<string, ShownMember>();
  for (const row of rows) {
    const r = (row ?? {}) as Record<string, unknown>;
    if (typeof r.memberNo !== 'string') continue;
    const name = typeof r.name === 'string' ? r.name : typeof r.memberName === 'string' ? r.memberName : undefined;
    const words = [r.content, r.title, r.nextAction].filter((w): w is string => typeof w === 'string' && w !== '').join(' ');
    const before = byNo.get(r.memberNo);
    byNo.set(r.memberNo, {
      memberNo: r.memberNo,
      ...(typeof r.memberId === 'number' ? { memberId: r.memberId } : before?.memberId !== undefined ? { memberId: before.memberId } : {}),
      ...(name ?? before?.name ? { name: (name ?? before?.name)! } : {}),
      ...(typeof r.homeStore === 'string' && r.homeStore ? { store: r.homeStore } : before?.store ? { store: before.store } : {}),
      ...([before?.words, words].filter(Boolean).length ? { words: [before?.words, words].filter(Boolean).join(' ').slice(0, 200) } : {}),
    });
  }
  const shown = [...byNo.values()].slice(0, MAX_MEMBERS);
  return shown.length > 0 ? shown : null;
}

/**
 * "那个静安的 档案", "高价值那个", "拼音名字那个 多久没来了", "包间那个 之前聊了啥", "the one with the complaint 看下工单": the words that
 * describe one member of the list (before 那个 / 那位, or 那个 … 的, or "the one with / at …") and what is asked of them.
 */
const ZH_THAT_ONE_OF = /^(?:就是|是|看看|看下)?\s*那(?:个|位)\s*([^\s，,。]{2,10}?)\s*的(?:会员|客户|人)?(?:[\s，,。]+(.*))?$/u;
const ZH_ONE_THAT = /^(?:就是|是|看看|看下)?\s*([^\s，,。]{2,10}?)\s*(?:的)?(?:那个|那位|那一个|那一位)(?:会员|客户|人)?(?:[\s，,。]*(.*))?$/u;
const EN_ONE_WITH = /^(?:and\s+)?the (?:one|member|customer|guy|lady)\s+(?:with|at|from|in|who has|who had|that has)\s+(?:the\s+|a\s+|an\s+)?([A-Za-z\p{Script=Han}-]+)\s*(.*)$/iu;
/** Words that point by place, by pronoun or at the whole list: no description of one member. */
const NOT_A_DESCRIPTION = /^(?:第|最后|上面|下面|刚才|刚刚|之前|前面|后面|这|那|他|她|它)|(?:一个|两个|几个)$/u;

function described(raw: string): { desc: string; rest: string } | null {
  const text = toSimplified(raw.normalize('NFKC')).trim().replace(/[。.!！]+$/u, '');
  const m = ZH_THAT_ONE_OF.exec(text) ?? ZH_ONE_THAT.exec(text) ?? EN_ONE_WITH.exec(text);
  if (!m?.[1] || NOT_A_DESCRIPTION.test(m[1])) return null;
  return { desc: m[1], rest: (m[2] ?? '').trim() };
}

/** The list's only member said so ("就剩他一个了", "只有她", "唯一那个", "the only one"). */
const ONLY_ONE = /剩|只有|唯一|就这一?个|\bthe only one\b|\bonly (?:him|her)\b/i;

/** A name in Latin letters — the member whose name is written in pinyin ("拼音名字那个", "英文名那个"). */
const LATIN_NAME_ASKED = /拼音|英文名|英文名字|字母|\bpinyin\b|\benglish name\b/i;
const LATIN_NAME = /^[A-Za-z][A-Za-z .'-]*$/;
/** A complaint or an open ticket ("投诉那个", "the one with the complaint", "有工单那个"). */
const COMPLAINT = /投诉|\bcomplain(?:t|ts|ed)?\b/i;

/** Two Han characters in a row of `words` found in `desc` ("包间" of 询问包间预订 in "包间那个"), or an English word of 4+ letters. */
const sharesWords = (words: string, desc: string) =>
  [...desc].some((c, i) => /\p{Script=Han}/u.test(c) && /\p{Script=Han}/u.test(desc[i + 1] ?? '') && words.includes(desc.slice(i, i + 2))) ||
  (desc.toLowerCase().match(/[a-z]{4,}/g) ?? []).some((w) => words.toLowerCase().includes(w));

const matchesTrigger = (trigger: Trigger, text: string): boolean =>
  Array.isArray(trigger) ? trigger.every((t) => matchesTrigger(t, text)) : typeof trigger === 'string' ? text.toLowerCase().includes(trigger.toLowerCase()) : trigger.test(text);

/**
 * A member of the list the bot just showed (the churn list, today's follow-ups or tickets), picked by what the words say of
 * them rather than by their place: their home store ("那个静安的"), a tag or level they hold ("高价值那个"), a name in pinyin
 * ("拼音名字那个"), a complaint of theirs ("the one with the complaint"), or words of the note or ticket shown beside them
 * ("包间那个"). Only when exactly one shown member fits; then what is asked of them — the router's read when it takes a member
 * and names none, else a member read whose trigger words the rest says, else (nothing asked but to see them) the list's own
 * read for a member, or their profile. Staff only, reads only: a write asked of the picked member goes through focus next.
 * Why apart: row-pick.ts reads a place in the list; this reads a description, which needs the members' records.
 */
export function shownPick({ services, getIntent, mayUse, prepare, weak }: DialogueContext) {
  async function pickedMember(desc: string, shown: readonly ShownMember[], access: Parameters<typeof listTickets>[0]): Promise<ShownMember | null> {
    const one = (found: ShownMember[]) => (found.length === 1 ? found[0]! : null);
    const store = findStore(desc, await storeDirectory(services));
    if (store) return one(shown.filter((m) => m.store !== undefined && (m.store === store.value || m.store.includes(store.value) || store.value.includes(m.store))));
    if (LATIN_NAME_ASKED.test(desc)) return one(shown.filter((m) => m.name !== undefined && LATIN_NAME.test(m.name)));
    const ids = shown.flatMap((m) => (m.memberId === undefined ? [] : [m.memberId]));
    const level = findLevel(desc);
    const tag = findDictionaryTags(desc, (await tagDictionary(services)).map((t) => t.name))[0];
    if ((level || tag) && ids.length === shown.length) {
      if (level && level.span.start === 0 && level.span.end === desc.length) return null; // the list shows no levels
      if (tag) {
        const tags = await memberTagNames(services.sql, ids);
        return one(shown.filter((m) => tags.get(m.memberId!)?.includes(tag.value)));
      }
    }
    const worded = shown.filter((m) => m.words && sharesWords(m.words, desc));
    if (worded.length > 0) return one(worded);
    if (COMPLAINT.test(desc) && ids.length === shown.length && shown.length <= 10) {
      const withComplaint = [];
      for (const m of shown) {
        const { tickets } = await listTickets(access, { memberId: m.memberId! });
        if (tickets.some((t) => t.type === 'complaint')) withComplaint.push(m);
      }
      return one(withComplaint);
    }
    return null;
  }

  return async function pickShown({ msg, memory, actor, routed, lang }: Turn, { staffLast, lastIntent }: Recent): Promise<Plan | null> {
    const shown = staffLast?.members;
    if (!shown?.length || actor.kind !== 'staff' || memory.held) return null;
    const routedDef = getIntent(routed.intent);
    // "就剩他一个了 看下他档案" right after a list that showed one member: he is that member — when no member is in focus
    // (a member asked about before the list stays who 他 is: s17g "M00000012 … koc排行 … 他的订单"), or the words say the
    // list's only one (剩, 只有, 唯一).
    const theOnlyOne = memory.focus() === null || ONLY_ONE.test(msg.text);
    if (shown.length === 1 && theOnlyOne && memory.previous?.intent === staffLast!.intent && pointsAtMember(msg.text) && !PLURAL_POINTER.test(msg.text) && routedDef && routedDef.effect === 'read' && takesMember(routedDef) && !namesMember(routed.slots) && mayUse(actor, routedDef)) {
      return prepare(memory, actor, routedDef, { ...routed, slots: { ...routed.slots, memberNo: shown[0]!.memberNo } }, msg.text, lang);
    }
    const said = described(msg.text);
    if (!said || shown.some((m) => m.name && said.desc.includes(m.name))) return null;
    // Another member named, or a write: not a pick of the list (the write reads the member picked next turn).
    if (namesMember(routed.slots) && routedDef?.effect === 'read' && !weak(actor, routed) && routed.slots.name !== said.desc) {
      const named = String(routed.slots.name ?? routed.slots.phone ?? routed.slots.memberNo);
      if (!said.desc.includes(named)) return null;
    }
    if (routedDef && routedDef.effect !== 'read' && !weak(actor, routed)) return null;
    const member = await pickedMember(said.desc, shown, { services, actor, channel: msg.channel, requestId: msg.requestId });
    if (!member) return null;
    const asked = (def: IntentDef | null | undefined): def is IntentDef => !!def && def.effect === 'read' && takesMember(def) && mayUse(actor, def);
    const reads = [routedDef, ...(said.rest ? [...readsNamedBy(said.rest)] : [])];
    let intent = reads.find((d) => asked(d) && (d === routedDef ? !weak(actor, routed) && said.rest !== '' : true));
    if (!intent && (!said.rest || asksForDetail(said.rest))) intent = asked(lastIntent) && lastIntent.name !== 'churn.list' ? lastIntent : getIntent('member.summary');
    if (!asked(intent)) return null;
    const base = intent === routedDef ? withoutMemberRefs(routed.slots) : {};
    return prepare(memory, actor, intent, { intent: intent.name, slots: { ...base, memberNo: member.memberNo }, confidence: 1 }, msg.text, lang);
  };

  /** The member reads whose trigger words the words say ("档案" → the profile, "工单" → their tickets). */
  function* readsNamedBy(rest: string): Generator<IntentDef> {
    for (const name of ['member.summary', 'member.tickets', 'member.interactions', 'member.orders', 'member.level', 'koc.stats']) {
      const def = getIntent(name);
      if (def?.rule.keywords.some((k) => matchesTrigger(k, rest))) yield def;
    }
  }
}
