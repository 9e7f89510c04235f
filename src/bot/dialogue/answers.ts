import { tagDictionary } from '../../crm/engagement/index.ts';
import { findDictionaryTags, findMemberNos, findPhones, blank } from '../../intents/router/extract.ts';
import { pointsAtMember } from '../../intents/router/member-pointer.ts';
import { hanName, titledSurname } from '../../intents/router/names.ts';
import { CN_NUMERAL, parseNumber } from '../../intents/router/numbers.ts';
import { findStore, storeDirectory } from '../../intents/router/stores.ts';
import { toSimplified } from '../../intents/router/traditional.ts';
import { DEFAULT_AMOUNT } from '../../intents/recall-launch.ts';
import type { Services } from '../../services.ts';
import { analyseMood } from '../understand/mood.ts';
import { isViewRequest } from '../understand/requests.ts';
import type { Candidate, Need } from './state.ts';
import { ordinalChoice } from './ordinal.ts';

/**
 * A reply read as the answer to the bot's question. `bare`: the message was nothing but the
 * answer ("13800000003", "VIP", "100") — an answer even if a router reads it as a request of its own
 * (a bare phone number is also a lookup); otherwise it counts only when no other request was recognised.
 */
export interface Answer {
  slots: Record<string, unknown>;
  bare: boolean;
}

const norm = (s: string) => s.normalize('NFKC').trim();
/** Names and tags are stored in simplified characters, and the router reads them so: "陳靜", "家庭客" as typed in traditional. */
const simplified = (s: string) => toSimplified(norm(s));
/** Words around an answer that add nothing: "是 13800000003", "就张伟吧", "the member is Zhang Wei". */
const FILLER = /^(?:哦|噢|喔|嗯|呃|额|啊|oh|ok|是|就是|就|叫|名字是|姓名是|会员是|会员|客户|给|帮|用|选|要|the member is|member|it'?s|it is|name is|his name is|her name is)\s*|\s*(?:那个|这个|那位|这位|吧|的|呢|啊|呀|哈|please|pls)$|[\s，,。.!！:：;；"'“”「」]+/giu;
const residue = (text: string) => text.replace(FILLER, '').replace(FILLER, '').replace(FILLER, '');
// A name alone: Chinese names are 2–4 characters (5 with a compound surname); anything longer is a sentence.
const HAN_NAME = /^[\p{Script=Han}·]{2,5}$/u;
/** Pronouns and particles: "她的工单" is a request, not a name. */
const NOT_IN_A_NAME = /[他她它我你们的了吗呢啥]/u;
/** "那个", "这位": pointing words before a name. */
const POINTING = /^(?:那个|这个|那位|这位|那|这)/u;
const LATIN_NAME = /^[A-Za-z][A-Za-z.'-]*(?: [A-Za-z][A-Za-z.'-]*){0,3}$/;
/** A reply ending in a pointing word ("Zhang Wei那个", "Li Na这位"): the words before it name whom. */
const POINTED_AT = /(?:那个|这个|那位|这位)(?:吧|呢|啊)?[。.!！]*$/u;

/** A member: a phone number or member number (bare), or a name (bare when it is the whole reply). */
export function memberAnswer(raw: string): Answer | null {
  const text = simplified(raw);
  const phone = findPhones(text)[0];
  const memberNo = findMemberNos(text)[0];
  const id = phone ? { phone: phone.value } : memberNo ? { memberNo: memberNo.value } : undefined;
  if (id) {
    const rest = residue(blank(text, [(phone ?? memberNo)!.span]));
    // "13800000009 就是张伟华": the number with the member's name beside it is still only the member.
    const named = HAN_NAME.test(rest) && !NOT_IN_A_NAME.test(rest) && hanName(rest) === rest;
    return { slots: id, bare: rest === '' || named };
  }
  // "哦 是王芳", "王芳的", "王芳那个": the name without an interjection before it or a particle after it.
  const name = text
    .replace(/^(?:(?:哦|噢|喔|嗯|呃|额|啊)[\s，,]*)?(?:是|就是|就|叫|名字是|姓名是|会员是|the member is|it'?s|it is|name is)?\s*/i, '')
    .replace(/[\s。.!！]*(?:的|那个|这个|那位|这位)?(?:吧|呢|啊)?[。.!！]*$/u, '')
    .trim();
  // "Zhang Wei那个": a name in Latin letters is bare only when pointed at — alone it may be any English word ("ok") —
  // and given and family name both said: one word pointed at is a trait ("VIP那个", pick-trait.ts), no name.
  if (LATIN_NAME.test(name)) return { slots: { name }, bare: POINTED_AT.test(text) && name.includes(' ') };
  if (!HAN_NAME.test(name) || NOT_IN_A_NAME.test(name)) return null;
  // "王姐", "就是张哥", "那个李总": a surname with a title is the surname — the request runs with it as a name
  // prefix (every 王 in scope, then "第几个"), as the router reads it in a request (titledSurname).
  const surname = titledSurname(name.replace(POINTING, ''));
  if (surname) return { slots: { name: surname }, bare: true };
  // "那个刘洋" / "就是那位王芳": the name is where a surname starts; a run without one is no name.
  const han = /^\p{Script=Han}+$/u.test(name) ? hanName(name) : name;
  // The whole reply is the name ("刘洋", "是刘洋"): as bare as a phone number, whatever the router
  // made of it (a name alone routes to a look-up); "那个刘洋" counts only when no request was recognised.
  // A pointing word before the name adds nothing ("就是那个刘洋", "这位王芳"): still the whole reply.
  return han ? { slots: { name: han }, bare: han === name || han === name.replace(POINTING, '') } : null;
}

/** A tag: one of the dictionary (bare), or a short word the intent will look up ("no such tag, did you mean …"). */
export async function tagAnswer(services: Services, raw: string): Promise<Answer | null> {
  const text = simplified(raw);
  const known = findDictionaryTags(text, (await tagDictionary(services)).map((t) => t.name))[0];
  const strip = (s: string) => residue(s.replace(/标签|打上|打个|打|贴上|贴个|贴|加上|加个|加|个|\btag\b|\bas\b/gi, ' '));
  if (known) {
    const rest = strip(blank(text, [known.span]));
    // "商务宴请 他经常带客户来", "家庭客 她每次都带小孩来": the tag first, then why it fits them — said of the member, no
    // question and no request to see something — is still only the tag.
    const restMood = analyseMood(rest);
    const why = known.span.start <= 2 && rest !== '' && pointsAtMember(rest) && !REMARK_ASKS.test(rest) && !isViewRequest(rest) && !restMood.negated && !restMood.deferred && !restMood.hypothetical;
    return { slots: { tag: known.value }, bare: rest === '' || why };
  }
  const word = strip(text);
  return word && word.length <= 16 && !/\s/.test(word) ? { slots: { tag: word }, bare: false } : null;
}

/** A remark that asks something ("他的订单呢", "她是不是VIP"): no reason beside a tag. */
const REMARK_ASKS = /[?？吗么呢]|是不是|有没有|多少|几[个次单]|看看|看下|查/u;

const MINUS = /扣除|扣减|扣掉|扣|减去|减少|减|兑换|deduct|subtract|remove|redeem/i;
const POINTS = new RegExp(`^(?:(增加|加上|加|补发|补|赠送|送|奖励|add|give|award|\\+)|(扣除|扣减|扣掉|扣|减去|减少|减|deduct|subtract|remove|-))?\\s*(\\d[\\d,]*|${CN_NUMERAL}+)\\s*(?:个)?\\s*(?:积分|分|points?|pts)?\\s*(.*)$`, 'i');

/** A number of points ("100", "扣 50", "200分 原因 生日"): the sign from the reply, else from the request. */
export function pointsAnswer(raw: string, request: string): Answer | null {
  const m = POINTS.exec(norm(raw));
  const n = m?.[3] ? parseNumber(m[3].replace(/,/g, '')) : undefined;
  if (!m || n === undefined || n <= 0) return null;
  const minus = m[2] !== undefined || (m[1] === undefined && MINUS.test(request));
  const reason = reasonText(m[4] ?? '');
  return { slots: { delta: minus ? -n : n, ...(reason ? { reason } : {}) }, bare: true };
}

/** A reason: the reply itself, without "原因是" / "because". */
export function reasonText(raw: string): string | undefined {
  // "加300吧 生日福利": a particle left before the reason is not part of it.
  const r = norm(raw).replace(/^(?:[吧啊呀哈的了][\s，,]*)+/u, '').replace(/^(?:原因|理由|因为|备注|reason|because(?: of)?)\s*(?:是|为|:|：)?\s*/i, '').replace(/[。.!！]+$/u, '').trim();
  return r ? r.slice(0, 128) : undefined;
}

/**
 * "徐汇店的王芳", "王芳 静安的": the reply without the store named beside the member (the member's record says
 * the store; the request takes no store) — null when it names no store or nothing is left.
 */
async function withoutStore(services: Services, raw: string): Promise<string | null> {
  const text = norm(raw);
  const store = findStore(text, await storeDirectory(services));
  if (!store) return null;
  const rest = `${text.slice(0, store.span.start)} ${text.slice(store.span.end)}`.replace(/^[\s的店]+|[\s的店]+$/gu, '').trim();
  return rest || null;
}

/**
 * A coupon's value ("20", "30块", "每张25元", "改成40", "二十", "amount 40", "就30吧"), or 默认 / default for the chain's
 * default value: null for anything else — a number of days, people or points is no value ("30天", "50个").
 */
const AMOUNT = new RegExp(
  `^(?:改成|改为|换成|就|那就|每张|每人|每个人?|面额|金额|发|送|amount|make it|each)?\\s*(?:是|为|:|：)?\\s*(\\d{1,4}(?:\\.\\d{1,2})?|${CN_NUMERAL}+)\\s*(?:块钱|块|元|rmb|yuan|¥)?\\s*(?:的|的券|券|each|per (?:person|member|coupon))?\\s*(?:吧|就行|就好|呗|啊)?(?:[\\s，,。.!！]+(?:就\\1(?:块钱|块|元)?(?:吧|的)?))?[\\s。.!！]*$`,
  'iu',
);
const DEFAULT_VALUE = /^(?:就|按|用|那)*(?:默认|default)(?:的|值|面额|金额)?(?:吧|就行|就好|即可)?[\s。.!！]*$|^(?:use )?(?:the )?default(?: (?:value|amount|one))?(?: (?:is )?(?:fine|ok|okay|works|please))?[\s.!]*$/iu;
export function amountAnswer(raw: string): Answer | null {
  const said = norm(toSimplified(raw));
  if (DEFAULT_VALUE.test(said)) return { slots: { amount: DEFAULT_AMOUNT.toFixed(2) }, bare: true };
  const m = AMOUNT.exec(said);
  const n = m?.[1] ? (/^\d/.test(m[1]) ? Number(m[1]) : parseNumber(m[1])) : undefined;
  return n !== undefined && n > 0 ? { slots: { amount: n.toFixed(2) }, bare: true } : null;
}

export async function detailAnswer(services: Services, need: Need, raw: string, request: string): Promise<Answer | null> {
  switch (need) {
    case 'member': {
      const direct = memberAnswer(raw);
      if (direct) return direct;
      const rest = await withoutStore(services, raw);
      return rest ? memberAnswer(rest) : null;
    }
    case 'tag':
      return tagAnswer(services, raw);
    case 'points':
      return pointsAnswer(raw, request);
    case 'amount':
      return amountAnswer(raw);
    case 'reason': {
      const reason = reasonText(raw);
      return reason ? { slots: { reason }, bare: false } : null;
    }
    case 'content': {
      // The dictated text itself: the request is run again with it appended (turn.ts).
      const content = norm(raw);
      return content ? { slots: {}, bare: false } : null;
    }
  }
}

/**
 * "尾号0003", "手机尾号0001的那位", "后四位是0003", "the one ending in 0003": a member of the list by the last four
 * digits of the phone shown beside it.
 */
const PHONE_TAIL =
  /^(?:就是|是|要|选)?(?:手机|电话)?(?:号)?(?:尾号|尾数|后四位|末四位|后两位|末两位|后几位|最后)(?:是|为)?\s*(\d{1,4})\s*(?:的)?(?:那个|那位|这个|这位)?(?:会员|客户)?(?:吧|呢|啊)?$|^(?:the )?(?:one|member|customer|guest)?\s*(?:ending|that ends|which ends|whose (?:phone|number) ends)(?: in| with)?\s*(\d{4})$|^(?:the one with )?(?:phone |number )?(?:last (?:4|four)(?: digits)?|ending)\s*(\d{4})$/i;

/**
 * "0003那个", "0003的", "是0003", "0003 please": four digits alone, said to a list that shows each member's phone — the
 * tail as the list shows it (an ordinal is one or two digits; a member number or phone is longer).
 */
const BARE_TAIL = /^(?:就是|是|要|选|the one|that one)?\s*(\d{4})\s*(?:的|那个|那位|这个|这位|那个人|的那个|的那位)?(?:会员|客户)?(?:吧|呢|啊)?(?:\s*(?:one|please))?$/i;

/**
 * The member of `candidates` whose phone ends in the digits the reply names ("尾号0003", "尾号03": fewer than four
 * when said with 尾号, the end of the four shown); null when none or several do.
 */
function byPhoneTail(raw: string, candidates: readonly Candidate[]): Candidate | null {
  const said = norm(raw).replace(/[\s。.!！?？]+$/u, '');
  const m = PHONE_TAIL.exec(said);
  const tail = m?.[1] ?? m?.[2] ?? m?.[3] ?? BARE_TAIL.exec(said)?.[1];
  const found = tail ? candidates.filter((c) => c.tail?.endsWith(tail)) : [];
  return found.length === 1 ? found[0]! : null;
}

/** "静安那个", "徐汇店的那位", "the one at 静安": the member of the list whose home store the reply names. */
const BY_STORE = /^(?:就是|是|要|选|the one (?:at|in|from) )?\s*([\p{Script=Han}A-Za-z]{2,12}?)\s*(?:店)?(?:的)?(?:那个|那位|这个|这位|那一个|那一位)(?:会员|客户)?(?:吧|呢|啊)?$|^the one (?:at|in|from) ([\p{Script=Han}A-Za-z ]{2,24})$/iu;

/** "那个静安的", "那位徐汇店的": the pointing word first, the store after it. */
const THAT_ONE_OF_STORE = /^(?:就是|是|要|选)?\s*(?:那个|那位|这个|这位)\s*([\p{Script=Han}A-Za-z]{2,12}?)\s*(?:店)?的(?:会员|客户)?(?:吧|呢|啊)?$/u;

/** The members of `candidates` whose home store contains the words the reply names; null when it names no store. */
function byStore(raw: string, candidates: readonly Candidate[]): Candidate[] | null {
  const said = simplified(raw).replace(/[\s。.!！?？]+$/u, '').replace(/(?<=\p{Script=Han})[吧呢啊]$/u, '');
  // "静安那个张伟": the name the list is of, said again after the store, adds nothing.
  const named = candidates.map((c) => c.name).find((n) => n && said.length > n.length && said.endsWith(n) && /(?:那个|那位|这个|这位)\s*$/u.test(said.slice(0, -n.length)));
  const bare = named ? said.slice(0, -named.length).trim() : said;
  const m = BY_STORE.exec(bare) ?? THAT_ONE_OF_STORE.exec(bare);
  const words = (m?.[1] ?? m?.[2])?.trim().replace(/店$/u, '');
  if (!words || words.length < 2) return null;
  const found = candidates.filter((c) => c.store?.includes(words));
  return found.length > 0 ? found : null;
}

/** "徐汇那个" when two of the list are of 徐汇: the reply narrows the list but picks no one (the question stays open). */
export const narrowsWithoutPicking = (raw: string, candidates: readonly Candidate[]): boolean => (byStore(raw, candidates)?.length ?? 0) > 1;

/** One member of the list shown: "第二个" / "2", "尾号0003", "静安那个", or its member number or phone typed out. */
export function pickAnswer(raw: string, candidates: readonly Candidate[]): Answer | null {
  const i = ordinalChoice(raw, candidates.length);
  if (i !== null) return { slots: { memberNo: candidates[i]!.memberNo }, bare: true };
  const tailed = byPhoneTail(raw, candidates);
  if (tailed) return { slots: { memberNo: tailed.memberNo }, bare: true };
  // A store two of them share ("徐汇那个" beside two 徐汇 members) picks neither — and is no member named 徐汇.
  const stored = byStore(raw, candidates);
  if (stored) return stored.length === 1 ? { slots: { memberNo: stored[0]!.memberNo }, bare: true } : null;
  const m = memberAnswer(raw.replace(NONE_OF_THEM, ''));
  return m && m.bare ? m : null;
}

/**
 * "都不是 是张伟华", "这几个都不是，13800000009", "none of them, it's 李娜": the list rejected before the member meant — the
 * member that follows answers the question as if said alone (the list's own ordinals and tails are never read after it).
 */
const NONE_OF_THEM = /^\s*(?:(?:都|全都|一个都|哪个都|这几个都|这些都|上面的都|上面都)不(?:是|对)(?:的|啊|呀)?|none of (?:them|these|those)|neither(?: of them)?)[\s,，。.!！:：]+(?=\S)/iu;
