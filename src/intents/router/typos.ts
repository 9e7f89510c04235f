import { isCommonSurname } from './common-surnames.ts';
import { createHomophoneFixer, createPinyinReader } from './homophones.ts';
import { REAL_WORDS } from './real-words.ts';

/**
 * Typos of common words, fixed before the triggers are matched. Chinese typos are mostly
 * homophones picked from the IME's candidate list (流式 for 流失, 优惠卷 for 优惠券), so a
 * short explicit list covers them without guessing; English typos are one edit away from a
 * trigger word (chrun, sumary, lokup), found by edit distance against the catalogue's words.
 */
const HOMOPHONES: [RegExp, string][] = [
  [/流式|留失|流矢/g, '流失'],
  [/茶一下|差一下|察一下/g, '查一下'],
  [/查寻|茶询/g, '查询'],
  [/详请|祥情|详清/g, '详情'],
  [/档按|档暗/g, '档案'],
  [/积份|级分|积氛/g, '积分'],
  [/(优惠|代金|抵用|折扣)卷/g, '$1券'],
  [/会原|会圆/g, '会员'],
  [/标前|标鉴|标笺/g, '标签'],
  [/帮住|邦助/g, '帮助'],
  [/确人|确任|却认/g, '确认'],
  [/取销|取效/g, '取消'],
  [/人攻|人公/g, '人工'],
  [/定单|订但/g, '订单'],
  [/等极|等及|登记别/g, '等级'],
  [/退定/g, '退订'],
  [/投述|头诉/g, '投诉'],
  [/几及|几极/g, '几级'],
  // A level's 级 typed as 及 / 极 right after its digit and before 会员 ("3及会员多少个").
  [/(?<=[1-5一二三四五]\s*)(?:及|极)(?=\s*会员)/g, '级'],
  [/复够|复构/g, '复购'],
  [/客单架|客单加/g, '客单价'],
  [/见康|建康/g, '健康'],
  [/彪签/g, '标签'],
  [/排形|排型/g, '排行'],
  [/记路|纪录/g, '记录'],
  [/消废/g, '消费'],
  [/公单/g, '工单'],
  [/回仿/g, '回访'],
  [/根进/g, '跟进'],
  [/预竟/g, '预警'],
  [/积粉/g, '积分'],
  [/召回卷/g, '召回券'],
  // 劵 (juàn) is the character most often typed for 券.
  [/劵/g, '券'],
  // 家 (jiā) typed for 加 glued after a name and before a figure of points ("刘洋家100积分"): a household owns no "100积分".
  // 大 (dà) typed for 打 (dǎ) before a tag glued after a name or 给 ("给刘洋大个新客标签", "王芳大上VIP标签"): 打个 / 打上 a tag.
  [/(?<=\p{Script=Han})大(?=(?:个|上|一个)?[^\s，,。；;？?！!]{0,8}标签)(?!个子|大|小|客户|单|额|众|型|家)/gu, '打'],
  [/(?<=\p{Script=Han})家(?=\s*(?:\d{1,6}|[一二两三四五六七八九十百千]+)\s*(?:个)?\s*(?:积分|分(?![钟店数之期行])))/gu, '加'],
];

/**
 * jia / kou typed in pinyin right before a figure of points ("jia 100 积分", "kou 50分"): 加 / 扣. One
 * syllable is read only there — a figure and then points words follow —, never alone (it could be a name's).
 */
const PINYIN_POINTS_VERB = /(?<![A-Za-z])(?:jia|kou)(?=\s*\d{1,6}\s*(?:个\s*)?(?:积分|分(?![钟店数之期行])))/gi;

/** Levenshtein distance ≤ 1, or one swap of adjacent letters ("chrun" → "churn"). */
function nearlyEqual(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
    if (diff.length === 1) return true;
    return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

/** Real English words one edit away from a trigger word ("about" ~ "abort"): never "corrected". */
const COMMON = new Set(
  'about above after again agent alert apple bough board bring build carry cause check clear close count court cover cross daily dated deals doing dress drink early email ending enter every exact extra first floor found front given goods great group guest happy heard house issue large later leave level light local lower maybe means money month never night offer often order other owner paper party place plant point price print quick quiet quite reach ready right round saved serve shall share short since small sound south space spend staff stand start state still store study table taken thank their there these thing think those three today total touch tower track trade under until usual value visit voice waste watch water where which while white whole whose woman world would write wrong yours'.split(' '),
);

/**
 * Chat shorthand staff type in English ("tix for zhang wei", "chen jing lvl", "aov this wk"):
 * not typos (no edit distance reaches them), but words of the catalogue in short. Whole words
 * only, and only shorthand with one meaning in a CRM chat.
 */
const SHORTHAND: Record<string, string> = {
  tix: 'tickets', tkt: 'ticket', tkts: 'tickets', lvl: 'level', lvls: 'levels', pts: 'points',
  mth: 'month', mnth: 'month', mths: 'months', wk: 'week', wks: 'weeks', yr: 'year', yrs: 'years', qtr: 'quarter',
  yday: 'yesterday', tmr: 'tomorrow', tmrw: 'tomorrow', cust: 'customer', custs: 'customers', mbr: 'member', mbrs: 'members',
  seg: 'segment', segs: 'segments', bday: 'birthday', msg: 'message', msgs: 'messages', avg: 'average', amt: 'amount',
  hist: 'history', prev: 'previous', ppl: 'people', thx: 'thanks', plz: 'please',
};
const SHORTHAND_WORD = new RegExp(String.raw`(?<![A-Za-z'])(?:${Object.keys(SHORTHAND).join('|')})(?![A-Za-z'])`, 'gi');

/** English chat shorthand written out (SHORTHAND); everything else as typed. */
export function expandShorthand(text: string): string {
  return text.replace(SHORTHAND_WORD, (w) => SHORTHAND[w.toLowerCase()] ?? w);
}

/**
 * A typo fixer over the catalogue's trigger words: ASCII ones (only words of 5+ letters: short
 * ones collide) by edit distance, Chinese ones (`hanVocabulary`) by sound (homophones.ts), after
 * the explicit list above (typos that are not homophones: 劵, 神马 …); a message typed all in
 * pinyin first has its words of `spokenVocabulary` (every Han word of the triggers) read as Han.
 */
export function createTypoFixer(vocabulary: Iterable<string>, hanVocabulary: Iterable<string> = [], spokenVocabulary: Iterable<string> = hanVocabulary): (text: string) => string {
  const words = [...new Set([...vocabulary].map((w) => w.toLowerCase()).filter((w) => /^[a-z]{5,}$/.test(w)))];
  const known = new Set(words);
  // A given name after a common surname is no typo ("陈静来电" is not 陈进来电).
  // Nor a real word that sounds like one of the vocabulary ("来店" is no 来电: real-words.ts).
  const bySound = createHomophoneFixer(hanVocabulary, { keepAfter: isCommonSurname, real: REAL_WORDS });
  // A message typed in pinyin (the IME not switched): its vocabulary words read as the Han words (homophones.ts).
  const byPinyin = createPinyinReader(spokenVocabulary);
  return (text: string) => {
    let out = expandShorthand(byPinyin(text)).replace(PINYIN_POINTS_VERB, (v) => (v.toLowerCase() === 'jia' ? '加' : '扣'));
    for (const [re, to] of HOMOPHONES) out = out.replace(re, to);
    out = bySound(out);
    return out.replace(/[A-Za-z]{5,}/g, (token) => {
      const lower = token.toLowerCase();
      // Plurals and singulars of a trigger word are words, not typos ("members" is not "member" misspelt).
      if (known.has(lower) || COMMON.has(lower) || known.has(lower.replace(/e?s$/, '')) || known.has(`${lower}s`)) return token;
      return words.find((w) => nearlyEqual(lower, w)) ?? token;
    });
  };
}
