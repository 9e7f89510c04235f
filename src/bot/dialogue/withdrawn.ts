import { analyseMood } from '../understand/mood.ts';
import { DEFER_END_ZH } from '../understand/lexicon.ts';

/**
 * Replies that take back or give up rather than answer: a refusal of the bot's question, a reply that opens by
 * putting things off, a remark said around 算了. Why apart: none of them may ever become an answer or a write.
 */

/** A reply that declines the bot's question ("算了", "不用了", "no"): nothing runs. */
export const REFUSAL = /^\s*(?:不|别|没|算了|不用|不要|取消|先不|no\b|nope|don'?t|do not|cancel|never ?mind|stop|forget it)/i;

/** What may come before a refusal of the bot's question ("那还是别扣了", "要不先不打了", "嗯 算了不加了"). */
export const REFUSAL_LEAD = /^\s*(?:(?:那|那就|还是|要不然?|嗯+|哦|好吧|算了)[\s，,]*)+/u;

/** The words of giving up (算了, 不用了, never mind) and what may come around them without saying anything. */
const GIVE_UP = /算了吧?|罢了|拉倒吧?|不用了|不要了|取消吧?|never ?mind|forget it|cancel(?: it)?/gi;
const REMARK_FILLER = /[\s\p{P}]|^(?:哦|噢|喔|嗯|啊|哈+|那|好吧|行吧|ok(?:ay)?|oh|ah)+|(?:吧|啊|呀|了|哈|嘛)+$/giu;
/** "哦 那是静安的 算了": giving up said with words of its own (at least two characters besides the fillers). */
export function remarkAroundCancel(raw: string): boolean {
  const text = raw.normalize('NFKC').trim();
  if (!GIVE_UP.test(text)) return false;
  GIVE_UP.lastIndex = 0;
  const rest = text.replace(GIVE_UP, ' ').split(/[\s,，。.!！?？]+/u).map((w) => w.replace(REMARK_FILLER, '')).join('');
  // "等下 取消" is a wait and a cancel, no remark: words of waiting say nothing of their own.
  const mood = analyseMood(text);
  return [...rest.replace(/^(?:等下|等等|等一下|稍等|先|hold on|wait)+/iu, '')].length >= 2 && !mood.question && !mood.deferred;
}

/** "哦那算了", "算了吧", "never mind": giving up and nothing else — no words of its own but fillers. */
export function onlyGivesUp(raw: string): boolean {
  const text = raw.normalize('NFKC').trim();
  GIVE_UP.lastIndex = 0;
  if (!GIVE_UP.test(text)) return false;
  GIVE_UP.lastIndex = 0;
  return text.replace(GIVE_UP, ' ').split(/[\s,，。.!！~～…]+/u).map((w) => w.replace(REMARK_FILLER, '')).join('') === '';
}

/** Refusal, deferral or supposition cues of a reply's own that open it ("等会再说…", "先别…") or close it ("…再说吧"). */
export function opensWithdrawn(raw: string): boolean {
  const text = raw.normalize('NFKC').trim();
  if (DEFER_END_ZH.test(text.replace(/[\s。.!！~～]+$/u, ''))) return true;
  return analyseMood(text).cues.some((cue) => {
    const [kind, hit] = cue.split(':');
    return (kind === 'neg' || kind === 'defer' || kind === 'hypo') && hit !== undefined && text.indexOf(hit) <= 1;
  });
}
