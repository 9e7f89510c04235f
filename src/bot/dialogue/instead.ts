import { anyWord, CORRECTION } from '../understand/lexicon.ts';

/**
 * "no, 20 not 30", "20 not 30", "not 30, 20", "20 不是30", "30改20": the figure said instead of the one it
 * rejects, while an action waits for 确认 — the held action previewed again with it (turn.ts), never read as
 * a refusal ("no") of the whole action. Null for anything else.
 */
const NUM = '(\\d+(?:\\.\\d+)?)';
const UNIT = '(?:\\s*(?:块钱?|元|分|积分|points?|pts|yuan))?';
// A correction word (CORRECTION in lexicon.ts) may open it: "no wait, 20 not 30", "搞错了 20不是30".
const LEAD = `^(?:(?:${anyWord([...CORRECTION.wrongEn, ...CORRECTION.wrongZh, ...CORRECTION.ohNoZh])})[,.!，。\\s]+)?`;
/** The new figure first: "20 not 30", "make it 20 instead of 30", "20 不是30". */
const NEW_FIRST = new RegExp(`${LEAD}(?:make it |it'?s |i meant? |改成|是)?${NUM}${UNIT}\\s*[,，]?\\s*(?:not|instead of|rather than|不是|而不是)\\s*\\d+(?:\\.\\d+)?${UNIT}$`, 'i');
/** The rejected figure first: "not 30, 20", "not 30 but 20", "30改20", "30 → 20". */
const OLD_FIRST = new RegExp(`${LEAD}(?:not\\s*\\d+(?:\\.\\d+)?${UNIT}\\s*[,;，；]?\\s*(?:but |make it |it'?s )?|\\d+(?:\\.\\d+)?${UNIT}\\s*(?:改成|改为|改|换成|->|→|=>)\\s*)${NUM}${UNIT}$`, 'i');

export function insteadFigure(raw: string): string | null {
  const text = raw.normalize('NFKC').trim().replace(/[\s。.!！]+$/u, '');
  const m = NEW_FIRST.exec(text) ?? OLD_FIRST.exec(text);
  return m?.[1] ?? null;
}

/**
 * "还是20吧", "算了 还是加100吧 老客关怀", "那还是…": one's mind changed — what follows 还是 is what is wanted instead of
 * what was said before (a held figure, or the request the bot's question is about), never a refusal though it may
 * open with 算了. The words after the lead; null without one, or with nothing after it, or a refusal after it ("还是算了").
 */
// 还是 may follow a correction word (CORRECTION in lexicon.ts: "不对 还是20吧", "搞错了 还是加100"), 算了 or a filler.
const MIND_CHANGED = new RegExp(`^\\s*(?:(?:${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh, '算了', '那', '嗯', '哦'])})[，,。\\s]*)*还是[，,\\s]*`, 'u');
export function changedMind(raw: string): string | null {
  const text = raw.normalize('NFKC');
  const m = MIND_CHANGED.exec(text);
  // "加100吧 老客关怀": the particle closing the change is no word of what follows it (a reason, a tag).
  const rest = m ? text.slice(m[0].length).replace(/(?<=\S)(?:吧|啊|呀|哈)(?=[\s，,。!！]|$)/gu, '').trim() : '';
  return rest && !/^(?:算了|不|别|没|取消)/.test(rest) ? rest : null;
}
