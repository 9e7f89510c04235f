import { anyWord, CORRECTION } from './lexicon.ts';
import { insteadOf } from './mood.ts';
import { STAFF_CLAIM } from './requests.ts';

/**
 * What the router reads of a message: the message without words that frame the request but
 * name none of it — a correction's lead ("不是她，是王芳", "不对，我要的是她的工单", "no, I meant
 * M00000005") and, from a member, a claim to be staff ("我是店长，查一下…"). Only routing uses
 * this: the write gate and the member gate still read the whole message, so the claim is still
 * refused and a correction's mood still counts.
 */

/** What introduces the right reading after the rejected one: "是…", "我是说…", "我的意思是…", "我要的是…". */
const MEANT_ZH = '(?:而?是|应该是|我(?:要|说|问|找|指)的是|我是(?:说|问|指|要)|我(?:的)?意思是|我说|要的是|换成)?';
/** An interjection before a correction ("哦不是…", "啊不对…", "呃 搞错了…"): it adds nothing. */
const OH = '(?:(?:哦|噢|喔|啊|呃|额|嗯|唉|哎|诶|欸|呀)[，,\\s]*)?';
/** "不是她，是…" / "不是这个，…" / "哦不是 上个月的": a short rejected reading, a pause, then the right one. */
const NOT_THIS = new RegExp(`^\\s*${OH}不是[^，,。；;\\s]{0,6}[，,。；;\\s]+${MEANT_ZH}\\s*`);
/** "不对，…" / "不对不对 我要的是…" / "搞错了，…" / "我说错了，是…" / "哦不，是…" — the rejection may be said twice. */
const WRONG = new RegExp(`^\\s*${OH}(?:(?:${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh])})[啊呀了哈]?[，,\\s]*){1,2}?[，,。；;!！\\s]+${MEANT_ZH}\\s*`);
/** "no, I meant …", "sorry, I mean …", "I meant …", "actually I meant …", "no wait, I meant …". */
const MEANT = new RegExp(`^\\s*(?:(?:${anyWord(CORRECTION.wrongEn)})[,.!]?\\s+)?(?:${anyWord(CORRECTION.meantEn)}|i\\s+was\\s+asking\\s+(?:about|for))\\s*[,:]?\\s*`, 'i');

/**
 * A staff request's polarity lead ("不用给王芳记录了", "先别发召回券", "要是给流失的都打上VIP"):
 * the router reads what the request is about, the write gate reads the whole message and so
 * declines it. Only before an action verb, and only when a request of three or more characters
 * is left ("别发了" stays: that is a cancellation).
 */
const POLARITY_LEAD = /^\s*(?:先别|先不要|先不用|暂时不要|暂时不用|暂时别|暂时不|不用|不要|不必|没必要|别|甭|如果|要是|假如|假设|万一|倘若)\s*(?=给|帮|把|对|为|发|群发|推送|打|加|扣|减|补|送|建|开|记|登记|召回|导出|删|去掉|移除)/;

/**
 * A disclaimer clause, then what is asked ("不是要给陈静记录，我就问问她之前说过啥", "我不是要投诉啊
 * 就是问问上次的事处理了没"): the router reads what follows the pause. The gate still reads the
 * whole message, so the disclaimed action is declined if it is what the router finds.
 */
const DISCLAIMER_LEAD = /^\s*(?:我|其实|也)?(?:并|也)?(?:不是|没)(?:说|真的)?(?:要|想|打算|让你|叫你)[^，,。；;!！\s]{1,16}[啊呀哈哦了的]*[，,。；;!！\s]+(?:我|其实)?(?:就|只是|只)?(?:是)?(?:想)?(?:问问|问一下|问下|问|看看)?\s*/;
/** The same in English ("I'm not asking you to open a ticket, just show me …", "I'm not saying add points, just checking …"). */
const DISCLAIMER_LEAD_EN = /^\s*(?:i'?m|i am) not (?:asking|trying|saying|telling)\b[^,.;!]{1,60}[,.;!]+\s*(?:(?:i'?m |i am |i )?(?:just|only)\s+(?:want(?:ing)? to\s+)?)?/i;

/**
 * Giving up, then a request of its own ("算了 先看她订单", "算了算了 查下王芳积分吧"): the router reads the request. Not a
 * refusal after it ("算了 不加了", "算了 取消": read whole, a cancellation) nor a change of mind back to the write ("算了
 * 还是发吧": the conversation's go-ahead reads it). The gates still read the whole message.
 */
const GIVE_UP_LEAD = /^\s*(?:那|哦|唉|哎|嗯)?(?:算了|算啦)(?:算了)?吧?[，,。.!！~～\s]+(?!还是|不|别|先不|先别|取消|甭|没)/;

/** The claim clause itself and the pause after it ("我是店员，", "I'm the manager here, "). */
const CLAIM_TO_PAUSE = new RegExp(`(?:${STAFF_CLAIM.source})[^，,。；;!！]{0,24}[，,。；;!！]\\s*`, 'i');
const CLAIM_CLAUSE = new RegExp(`(?:${STAFF_CLAIM.source})(?:\\s*here\\b)?[^，,。；;!！]{0,8}?[，,。；;!！\\s]+`, 'i');

/** What a correction says instead ("不是她，是王芳" → "王芳"); null when the message is no correction. */
export function correctionOf(text: string): string | null {
  const t = text.normalize('NFKC');
  for (const re of [NOT_THIS, WRONG, MEANT]) {
    const m = re.exec(t);
    // Only when something is left: "不是" alone is an answer, not a correction.
    if (m && t.slice(m[0].length).trim()) return t.slice(m[0].length).trim();
  }
  return null;
}

/**
 * "what about her tickets", "and his orders?", "how about their points": a follow-up lead before a pronoun adds
 * nothing but "the same again" — the router reads the question about the member in focus ("what about …" alone
 * reads as today's work).
 */
const FOLLOW_UP_LEAD = /^\s*(?:and|so|ok(?:ay)?|then)?\s*(?:what about|how about|and)\s+(?=(?:her|his|him|their|them|she|he)\b)/i;

export function routingText(text: string, audience: 'staff' | 'member'): string {
  let out = text.normalize('NFKC').replace(FOLLOW_UP_LEAD, '');
  const disclaimer = DISCLAIMER_LEAD.exec(out) ?? DISCLAIMER_LEAD_EN.exec(out);
  // Only when a request is left ("就随便说说" alone is no request: the whole message is read).
  if (disclaimer && [...out.slice(disclaimer[0].length).replace(/[\s\p{P}]/gu, '')].length >= 4 && !/^(?:随便|随口)/.test(out.slice(disclaimer[0].length))) out = out.slice(disclaimer[0].length);
  else out = correctionOf(out) ?? out;
  const gaveUp = GIVE_UP_LEAD.exec(out);
  if (gaveUp && [...out.slice(gaveUp[0].length).replace(/[\s\p{P}了吧啊呢]/gu, '')].length >= 3) out = out.slice(gaveUp[0].length);
  if (audience === 'staff') {
    // One action refused, another asked instead ("不用建工单 就记一下 …"): the router reads what is asked; the gate
    // declines the refused one if that is what is found (src/bot/gate.ts moodFor).
    const instead = insteadOf(out);
    if (instead) out = withRefusedMember(instead.asked.replace(/^(?:我|你)?(?:就|只要?|直接|光|仅|先|just|only|simply)\s*/i, ''), instead.refused);
    const lead = POLARITY_LEAD.exec(out);
    if (lead && [...out.slice(lead[0].length).replace(/[\s\p{P}了吧啊呢]/gu, '')].length >= 3) out = out.slice(lead[0].length);
  }
  if (audience === 'member') {
    const stripped = CLAIM_TO_PAUSE.test(out) ? out.replace(CLAIM_TO_PAUSE, '') : out.replace(CLAIM_CLAUSE, '');
    if (stripped.trim()) out = stripped;
  }
  return out.trim() ? out : text;
}

/**
 * The request after a give-up lead ("算了 加回来" → "加回来"), as routing reads it; the text itself without one (or
 * when the lead is followed by a refusal or 还是, which GIVE_UP_LEAD never takes). For a concern that has already
 * checked what follows is its own request (undo-write.ts: the take-back verb), so the gate reads that request.
 */
export function afterGivingUp(text: string): string {
  const gaveUp = GIVE_UP_LEAD.exec(text.normalize('NFKC'));
  return gaveUp ? text.normalize('NFKC').slice(gaveUp[0].length) : text;
}

/** A phone or member number, or a name right after 给 / 帮 / 把 / 替 and before a write's verb ("别给王芳加分"). */
const REFUSED_ID = /(?:\+?86[\s-]?)?1[3-9]\d{9}|M\d{8}/i;
const REFUSED_NAME = /(?:给|帮|把|替)\s*([\p{Script=Han}]{2,3}?)\s*(?:的|身上的?)?(?:加|扣|打|发|去掉|删|建|开|记|转|改|升|降|VIP)/u;
/** A pointer of the asked clause at the member of the refused one ("她的订单", "his orders"). */
const POINTER_ZH = /[她他](?=的)/u;
const POINTER_EN = /\b(?:his|her|their)\b/i;

/**
 * The asked clause points at the member the refused clause named ("不用给王芳加分 先看下她的订单", "don't tag 13800000006 as VIP,
 * just show me his orders"): the router reads that member — the refused clause is dropped from what it reads, its member is not.
 */
function withRefusedMember(asked: string, refused: string): string {
  const id = REFUSED_ID.exec(refused)?.[0];
  if (id && (POINTER_ZH.test(asked) || POINTER_EN.test(asked)) && !REFUSED_ID.test(asked)) return `${asked} ${id}`;
  const name = REFUSED_NAME.exec(refused)?.[1];
  if (name && POINTER_ZH.test(asked)) return asked.replace(POINTER_ZH, name);
  return asked;
}
