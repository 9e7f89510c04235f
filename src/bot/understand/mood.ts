import { toSimplified } from '../../intents/router/traditional.ts';
import { isSurname, startsWithSurname, titledSurname } from '../../intents/router/names.ts';
import { writesNamedIn } from '../../intents/router/action-words.ts';
import * as L from './lexicon.ts';

/**
 * What a message does with the action it names: an instruction to do it now (affirmative), or a
 * negation, a question, a hypothesis, a deferral, someone else's words. Only `affirmative` lets
 * a write run (src/bot/gate.ts); the other flags say why not, for the reply.
 */
export interface Mood {
  affirmative: boolean;
  negated: boolean;
  question: boolean;
  hypothetical: boolean;
  deferred: boolean;
  reported: boolean;
  /** A question in form that asks for the action ("能帮我…吗", "could you …?"): affirmative. */
  politeRequest: boolean;
  /**
   * Reported only because a member's words are relayed ("陈静说菜里吃出沙子了", "客人说汤是凉的"), and the
   * staff member asks after a pause to handle them ("麻烦跟进", "记一下", "pls follow up"): for a write that
   * records what was said (a note, a ticket: src/bot/gate.ts) the relayed words are its content.
   */
  relayedForService: boolean;
  /**
   * One action refused and another asked instead ("不用建工单 就记一下 13800000006 来电咨询"): the clause that
   * refuses. The mood is that of what is asked; the write gate still declines an intent this clause names
   * (src/bot/gate.ts moodFor), so the refused action never runs on it.
   */
  refused?: string;
  /** The words that decided it, for logs and tests. */
  cues: string[];
}

/**
 * "不用建工单 就记一下 …", "don't open a ticket, just log the call": the refused clause and what is asked instead,
 * when what is asked names an instruction verb of its own; null otherwise ("不用了 就这样吧" refuses only).
 */
export function insteadOf(text: string): { refused: string; asked: string } | null {
  const t = toSimplified(text.normalize('NFKC'));
  const acts = (s: string) => L.VERB_ZH.test(s) || L.VERB_EN.test(s);
  // Something put off to look at later, then an instruction for now: what is asked is read, the put-off clause refuses it.
  const later = L.DEFER_INSTEAD_ZH.exec(t);
  if (later && acts(later[2]!)) return { refused: later[1]!.trim(), asked: later[2]!.trim() };
  const m = L.INSTEAD_ZH.exec(t) ?? L.INSTEAD_EN.exec(t);
  if (!m) return refusedClause(t, acts);
  const refused = m[1]!.trim();
  const asked = m[2]!.trim();
  // Both name an action: the refused one a write ("不用了" refuses nothing named), the asked one a write or a look ("先看看流失名单").
  return acts(refused) && (acts(asked) || L.VIEW_ZH.test(asked)) ? { refused, asked } : null;
}

/**
 * The same read clause by clause, wherever the refusing clause stands ("别删李娜的投诉过标签 把新客从刘洋那去掉", "不是要扣分
 * 是要加 给陈静加80分", "先建个人群包 5级的 别导出"): exactly one clause refuses a verb of its own, and the others — with no
 * refusal of their own — ask an instruction verb or replace the refused value ("改成流失风险"). Refused is that clause; asked
 * the others, in order.
 */
function refusedClause(t: string, acts: (s: string) => boolean): { refused: string; asked: string } | null {
  const clauses = t.split(/[\s，,。；;!！]+/u).filter(Boolean);
  if (clauses.length < 2) return null;
  const refusing = clauses.filter((c) => L.REFUSING_CLAUSE_ZH.test(c));
  if (refusing.length !== 1) return null;
  const refused = refusing[0]!;
  if (!acts(refused) && !/不用|不要|别/.test(refused)) return null;
  if (clauses.some((c) => c !== refused && L.NEG_ZH.test(c.replace(L.NOT_A_BIE, '__')))) return null;
  const at = clauses.indexOf(refused);
  const asks = (part: string[]) => part.some((c) => acts(c) || L.VIEW_ZH.test(c));
  // What follows the refusal is what is asked (a topic before it belongs to the refusal: "周杰的召回中标签 不用打了 改成…");
  // with nothing asked after it, what came before ("先建个人群包 5级的 别导出").
  const after = clauses.slice(at + 1);
  if (after[0] && L.ASKED_OPENS_ZH.test(after[0]) && (asks(after) || L.REPLACING_ZH.test(after[0]))) return { refused, asked: after.join(' ') };
  const before = clauses.slice(0, at);
  // Refused last: only a write of its own, none said before it ("建个单 等等 别建" takes the ticket back).
  const named = writesNamedIn(refused);
  const said = new Set(writesNamedIn(before.join(' ')));
  return after.length === 0 && before[0] !== undefined && (L.ASKED_OPENS_ZH.test(before[0]) || L.VERB_ZH.test(before[0].slice(0, 2))) && asks(before) && named.length > 0 && !named.some((w) => said.has(w)) ? { refused, asked: before.join(' ') } : null;
}

/** The message split at its first instruction verb: the frame before it, the verb, what follows. */
interface Frame {
  head: string;
  verb: string;
  tail: string;
  /** The verb takes dictated content (记录 …, 建单 …): the tail is the user's content, not mood. */
  content: boolean;
}

function frame(text: string): Frame {
  const last = L.CONTENT_LAST.exec(text);
  if (last) return { head: '', verb: last[1]!, tail: text.slice(0, last.index), content: true };
  const zh = L.VERB_ZH.exec(text);
  const en = L.VERB_EN.exec(text);
  const m = zh && en ? (zh.index <= en.index ? zh : en) : (zh ?? en);
  if (!m) return { head: text, verb: '', tail: '', content: false };
  const rest = text.slice(m.index);
  return { head: text.slice(0, m.index), verb: m[0], tail: text.slice(m.index + m[0].length), content: L.CONTENT_FRAME.test(rest) };
}

/** Quoted or colon-introduced words are content whatever they say ("建单：客户说不要了"). */
function maskContent(text: string): string {
  return text
    .replace(/[「“"『][^」”"』]*[」”"』]/g, '「」')
    .replace(/(\S)\s*[：:](?!\d)[^]*$/u, '$1：…');
}

/** The first cue that frames the instruction (not one modifying the object: "给下个月生日的会员"). */
function frameCue(part: string, re: RegExp): string | null {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (let m = g.exec(part); m; m = g.exec(part)) {
    if (L.OBJECT_PREPOSITION.test(part.slice(0, m.index).trimEnd())) continue;
    return m[0];
  }
  return null;
}

/**
 * Reads the mood of one message (Chinese, English or mixed). Scope-aware: cues in the frame
 * before the instruction verb (or at the very end) decide; a 不 inside dictated content or in a
 * relative clause of the object ("给没来过的会员发券", "记录…投诉菜不热") does not; "别忘了…"
 * asks for the action; polite questions ("能帮我…吗", "could you …?") are requests.
 */
export function analyseMood(raw: string): Mood {
  // A turn reads the mood of the same text several times (the gate, the dialogue, assent and the
  // refusal check: ~2 % of a callback's CPU, docs/benchmarks.md HTTP turn cost, session 17); the
  // reading depends on the text alone, so the last texts' readings are kept, frozen.
  const known = MOODS.get(raw);
  if (known) return known;
  // A joke closed by a laugh, then a request: the request's own mood (the joke's 要是…就 supposes nothing of it).
  const laugh = L.LAUGH_THEN.exec(toSimplified(raw.normalize('NFKC')));
  if (laugh && (L.VERB_ZH.test(laugh[2]!) || L.VERB_EN.test(laugh[2]!)) && !L.NOT_MEANT_ZH.test(laugh[2]!) && !L.NOT_MEANT_EN.test(laugh[2]!)) {
    const after = analyseMood(laugh[2]!);
    const mood = { ...after, cues: [`laugh:${laugh[1]!.trim()}`, ...after.cues] };
    Object.freeze(mood.cues);
    MOODS.set(raw, Object.freeze(mood));
    return mood;
  }
  const instead = insteadOf(raw);
  const mood = instead ? { ...readMood(instead.asked), refused: instead.refused } : readMood(raw);
  if (instead) mood.cues.unshift(`instead:${instead.refused}`);
  Object.freeze(mood.cues);
  if (MOODS.size >= MOODS_KEPT) MOODS.clear();
  MOODS.set(raw, Object.freeze(mood));
  return mood;
}

/** Texts whose mood was read lately: a few per turn, turns of at most a few hundred senders at once. */
const MOODS = new Map<string, Mood>();
const MOODS_KEPT = 512;

function readMood(raw: string): Mood {
  const cues: string[] = [];
  // Read in simplified characters, as the router does: 總部說要 / 老闆說 relay a wish like 总部说要 / 老板说.
  const read = maskContent(toSimplified(raw.normalize('NFKC')).trim().replace(L.DO_NOT_FORGET, ' ').replace(/\s+/g, ' ').trim());
  // "在不在", "打没打", "发不发": a question whatever the verb; its 不/没 negates nothing, so the rest reads it as the verb alone.
  // Never inside dictated content ("记录…来电问包间有没有空位").
  const framed = frame(read);
  const aNotA = L.A_NOT_A_ZH.exec(framed.content ? framed.head : read)?.[0];
  const text = aNotA && !framed.content ? read.replace(L.A_NOT_A_ZH, '$1') : read;
  // The end of the sentence: without a trailing identifier, punctuation or a final particle ("…了吗 13800000005", "别发啊").
  const end = text.replace(L.TRAILING_IDENTIFIER, '').replace(L.TRAILING, '').replace(/(?<!干)[啊呀哈啦哦嘛~]+$/u, '');
  const f = frame(text);
  // For 别 as "don't", mask 别的 / 别人 … (other, someone else).
  // …and 算了 that gives up a hesitation before the instruction ("算了还是发吧"): no negation.
  // …and what someone said before a pause ("她说储值卡不能用了 帮她…"): their problem's 不, not the user's (SAID_CLAUSE_ZH).
  const negHead = f.head.replace(L.NOT_A_BIE, '__').replace(L.NEVER_MIND_THEN_DO, ' ').replace(L.NEVER_MIND_THEN_VERB.test(text) ? /^(?:算了吧?|不管了)/u : /$^/u, ' ').replace(L.SAID_CLAUSE_ZH, '__');
  const negTail = f.tail.replace(L.NOT_A_BIE, '__');
  // A plain command's object may carry its mood ("召回券先别发", "召回做得怎么样了"); dictated content never does.
  const scan = f.content ? f.head : `${f.head} ${f.tail}`;
  // "…删了算了": its 算了 says "might as well", no negation (read as not meant below).
  const mightAsWell = f.content ? null : L.MIGHT_AS_WELL.exec(text)?.[0];
  const neg = (hit: string | null | undefined) => (mightAsWell && hit === '算了' ? null : hit);
  const cue = (name: string, hit: string | null | undefined) => {
    if (hit) cues.push(`${name}:${hit}`);
    return Boolean(hit);
  };

  const negated =
    cue('retract', L.RETRACT_ZH.exec(text)?.[0]) ||
    cue('retract', L.RETRACT_EN.exec(text)?.[0]) ||
    cue('disclaimer', L.DISCLAIMER_ZH.exec(f.content ? f.head : text.replace(L.NOT_A_BIE, '__'))?.[0]) ||
    cue('disclaimer', L.DISCLAIMER_EN.exec(text)?.[0]) ||
    cue('neg', neg(frameCue(negHead, L.NEG_ZH))) ||
    cue('neg', L.NEG_EN.exec(f.head)?.[0]) ||
    cue('neg', L.NEG_HEAD_EN.exec(f.head)?.[0]) ||
    (!f.content && cue('neg', neg(frameCue(negTail, L.NEG_ZH)))) ||
    (!f.content && cue('neg', L.NEG_EN.exec(f.tail)?.[0])) ||
    cue('neg-end', neg(L.NEG_END_ZH.exec(end)?.[0])) ||
    cue('neg-end', L.NEG_END_EN.exec(end)?.[0]) ||
    cue('neg', f.content ? null : L.NO_WRITE_EN.exec(text)?.[0]?.trim()) ||
    (!f.verb && cue('neg', L.NEG_EN.exec(text)?.[0]));

  const perfective = L.PERFECTIVE_Q.test(end) && (/[吗么没?？]$/.test(end) || /^(?:did|have|has)\b/i.test(end));
  const contentLong = f.content && f.tail.replace(/[\sA-Za-z0-9]/g, '').length >= 6;
  const endQuestion = L.QUESTION_END_ZH.exec(end)?.[0];
  let question =
    cue('q', L.QUESTION_ZH.exec(scan)?.[0]) ||
    cue('q', aNotA) ||
    cue('q-end', endQuestion && !(contentLong && !perfective) ? endQuestion : null) ||
    cue('q-tag', L.TAG_QUESTION_END_ZH.exec(end)?.[0]) ||
    // "tag 13800000007 VIP? not sure": a question mark after the instruction asks, whatever follows it (never inside dictated content).
    cue('q-mid', !f.content && /[?？]/.test(f.tail) ? '?' : null) ||
    // "…能转给小刘吗 我先问问": 吗 before a pause asks too, whatever follows (never inside dictated content).
    cue('q-mid', !f.content && /[吗么](?=[\s，,。;；])/.test(f.tail) ? '吗' : null) ||
    cue('q', L.QUESTION_START_EN.exec(text)?.[0]) ||
    cue('q', L.QUESTION_EN.exec(scan)?.[0]) ||
    cue('q-perfective', perfective ? 'perfective' : null) ||
    cue('q-who-how', askWhoHow(end, f, contentLong)) ||
    cue('q-how-to', f.content ? L.HOW_TO_ON_VERB.exec(f.tail)?.[0]?.trim() : null) ||
    cue('relative', relativeVerb(f)) ||
    cue('past', L.PAST_EN.exec(f.content ? f.head + f.verb : text)?.[0]) ||
    // "open a ticket? she didn't complain": a question mark on the verb's object asks, even before dictated words.
    cue('q-mid', f.content && /^\s*(?:(?:an?|the|a new)\s+)?[^\s，,。；;?？]{0,8}\s*[?？]/u.test(f.tail) ? '?' : null) ||
    cue('just-talk', L.JUST_TALK.exec(f.content ? f.head : text)?.[0]);
  const politeForm = L.POLITE_START_ZH.test(text) || L.POLITE_END_ZH.test(end) || L.POLITE_EN.test(text);
  // "能不能/可以…吗" around an instruction verb asks for it; "要不要 / 是不是 / 了吗" ask about it.
  // "能不能给会员随便加积分啊？": whether it can be done at all — a question, no polite request (CAN_AT_ALL_ZH).
  // Said before the instruction verb (never inside dictated content: "记录 客户问能不能随便退").
  // Read before 能不能 is made 能 (A_NOT_A_ZH).
  const canHit = L.CAN_AT_ALL_ZH.exec(read);
  const readHead = canHit ? framed.head : '';
  const canAtAll = canHit && readHead.length > 0 && canHit.index < readHead.length ? canHit[0] : undefined;
  if (canAtAll) question = cue('q-can', canAtAll) || question;
  const politeRequest = politeForm && !canAtAll && Boolean(f.verb) && !perfective && !/要不要|需不需要|用不用|该不该|是不是|是否|有没有|怎么|如何|多少|什么|哪/.test(f.head) && !/^(?:should|shall|can we|could we|do we)\b|\bhow (?:to|do|can|should|does)\b/i.test(text);
  if (politeRequest) {
    cues.push('polite');
    question = false;
  }

  const hypothetical =
    cue('hypo', L.HYPO_ZH.exec(f.head)?.[0]) || cue('hypo', L.CONSEQUENCE_ZH.exec(f.content ? f.head : text)?.[0]) || cue('hypo', L.HYPO_EN.exec(scan)?.[0]) || cue('hypo', L.HYPO_HEAD_EN.exec(f.head)?.[0]) || cue('hypo-end', L.HYPO_END_ZH.exec(end)?.[0]) || (!f.content && cue('hypo', L.HYPO_ZH.exec(f.tail)?.[0])) ||
    // A joke or irony is not an order; never inside dictated content ("记录：顾客说开玩笑的").
    cue('not-meant', L.NOT_MEANT_ZH.exec(f.content ? f.head : text)?.[0]) ||
    cue('not-meant', mightAsWell) || cue('not-meant', L.NOT_MEANT_EN.exec(f.content ? f.head : text)?.[0]);
  // A time that dates someone's event ("小刘下周离职") is no put-off of the request (DATED_EVENT_ZH).
  const undated = (part: string) => part.replace(L.DATED_EVENT_ZH, '__');
  const deferred =
    cue('defer', frameCue(undated(f.head), L.DEFER_ZH)) ||
    cue('defer', L.DEFER_EN.exec(f.content ? f.head : text)?.[0]) ||
    cue('defer-end', L.DEFER_END_ZH.exec(end)?.[0]) ||
    (!f.content && cue('defer', frameCue(undated(f.tail), L.DEFER_ZH)));
  // With no instruction verb the whole message frames the wish ("王芳说她想要个VIP标签"), as in English.
  const authority = L.REPORTED_AUTHORITY_ZH.exec(f.verb ? f.head : text)?.[0];
  const person = L.REPORTED_PERSON_ZH.exec(f.head)?.[0];
  const english = L.REPORTED_EN.exec(f.verb ? f.head : text)?.[0];
  // A fact relayed, then the user's own order to the bot ("李娜说储值卡能用了 T…你帮我关掉"): the order is theirs.
  const ownAfterSaid = L.SAID_THEN_OWN_ZH.test(text);
  if (ownAfterSaid) cues.push('own-after-said');
  const asked = saidThenAsked(text);
  const reported = cue('reported', asked) || (!ownAfterSaid && (cue('reported', authority) || cue('reported', person) || cue('reported', english) || cue('reported', relayedByName(text))));
  // Only a member's or customer's words (by name, 客人说, "the customer said"), then the staff member's own service request after a pause.
  const byMember = (hit: string | undefined) => !hit || L.RELAYED_MEMBER.test(hit);
  const relayedForService = reported && !asked && !person && byMember(authority) && byMember(english) && L.OWN_SERVICE_REQUEST.test(text);
  if (relayedForService) cues.push('relayed-for-service');

  return {
    affirmative: !negated && !question && !hypothetical && !deferred && !reported,
    negated,
    question,
    hypothetical,
    deferred,
    reported,
    politeRequest,
    relayedForService,
    cues,
  };
}

/**
 * "…是谁操作的", "是怎么弄的" at the end ask about the action. After a verb of dictated content the
 * end is the user's words when they are long or relay someone's question ("记录 来电问菜是怎么做的"),
 * unless the verb names a past action ("加的那200分是谁操作的").
 */
function askWhoHow(end: string, f: Frame, contentLong: boolean | undefined): string | null {
  const m = L.ASK_WHO_HOW_END_ZH.exec(end);
  if (!m) return null;
  if (!f.content) return m[0];
  const before = end.slice(0, m.index);
  if (L.RELATIVE_VERB.test(f.tail)) return m[0];
  if (/[问询]/.test(before)) return null;
  // "是谁/怎么…的" running on from the verb's object ("建工单是怎么弄的") asks; after a break, long
  // words are dictated ("建个工单 空调坏了 不知道是怎么弄的").
  const afterVerb = before.slice(Math.max(0, before.indexOf(f.verb) + f.verb.length));
  return /[\s，,。；;：:]/.test(afterVerb) && contentLong ? null : m[0];
}

/** "谁给王芳加的积分", "上次加的那200分", "给她加过分了": the instruction verb followed by 的 or 过, with no later instruction ("加的不对 再加100"). */
function relativeVerb(f: Frame): string | null {
  if (!f.verb || !/\p{Script=Han}/u.test(f.verb) || !L.RELATIVE_VERB.test(f.tail)) return null;
  // The records a relative verb names are a noun, not a later instruction ("登记的那些记录呢", "刚才登记的那条记录呢").
  const later = f.tail.slice(1).replace(L.RECORDS_NOUN, '');
  // … nor when the message stops what was sent, before or after it ("停掉刚才发的那个", "把刚刚发的停了"): 停 is no
  // instruction verb of VERB_ZH (a stop is not a write of its own there), but it is the order the relative clause names the object of.
  if (STOP_ORDER.test(`${f.head}${f.verb}${f.tail}`)) return null;
  return L.VERB_ZH.test(later) ? null : `${f.verb}${f.tail[0]}`;
}
/** 停掉 / 停一下 / 把…停了 / …停 as an order — not told as done ("已经停掉了", "被停了"). */
const STOP_ORDER = /(?<!已经?|已|都|被|没)(?:停(?:掉|下|一下|止|发)|暂停|叫停)|把[^，,。；;]*停(?:了|掉)|^[^吗么]*(?<!已经?|已|都|被|没)停(?=\s*$)/;

/** "她说要投诉 让我给她开个单": what someone said, then what they asked the user to do — their wish, relayed. */
function saidThenAsked(text: string): string | null {
  const m = L.SAID_THEN_ASKED_ZH.exec(text);
  if (!m) return null;
  const who = m[1]!;
  return /^(?:他|她|他们|她们|客人|顾客|客户|会员|老板|店长|领导|总部|经理|主管)$/.test(who) || namesPerson(who) ? m[0] : null;
}

/** "陈静说想要…", "李娜要求我们…", "陈静 said she wants …": a named person's words, when the words before the verb of saying are a name. */
function relayedByName(text: string): string | null {
  const m = L.REPORTED_NAME_ZH.exec(text) ?? L.REPORTED_NAME_EN.exec(text);
  if (m && namesPerson(m[1]!)) return m[0];
  const c = L.REPORTED_CUSTOMER_NAME_ZH.exec(text);
  return c && startsWithSurname(c[1]!) ? c[0] : null;
}

/**
 * A person's name as staff say it: a full name (starts with a surname), or the familiar forms of a colleague or a regular —
 * 小/老/阿 and a surname ("小陈", "老王"), a surname and a title ("王姐", "李总"). "小陈说要给静安发召回券" relays a colleague's
 * wish as "店长说要…" does; 小程序 / 老客 / 老板 are no such form (程 is a surname, so only two characters count).
 */
function namesPerson(words: string): boolean {
  if (startsWithSurname(words)) return true;
  if ([...words].length === 2 && /^[小老阿]/.test(words) && isSurname(words[1]!)) return true;
  return titledSurname(words) !== undefined;
}
