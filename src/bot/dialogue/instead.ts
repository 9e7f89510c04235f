/**
 * "no, 20 not 30", "20 not 30", "not 30, 20", "20 不是30", "30改20": the figure said instead of the one it
 * rejects, while an action waits for 确认 — the held action previewed again with it (turn.ts), never read as
 * a refusal ("no") of the whole action. Null for anything else.
 */
const NUM = '(\\d+(?:\\.\\d+)?)';
const UNIT = '(?:\\s*(?:块钱?|元|分|积分|points?|pts|yuan))?';
const LEAD = '^(?:(?:no|nope|sorry|oops|wait|actually|不对|不是|错了)[,.!，。\\s]+)?';
/** The new figure first: "20 not 30", "make it 20 instead of 30", "20 不是30". */
const NEW_FIRST = new RegExp(`${LEAD}(?:make it |it'?s |i meant? |改成|是)?${NUM}${UNIT}\\s*[,，]?\\s*(?:not|instead of|rather than|不是|而不是)\\s*\\d+(?:\\.\\d+)?${UNIT}$`, 'i');
/** The rejected figure first: "not 30, 20", "not 30 but 20", "30改20", "30 → 20". */
const OLD_FIRST = new RegExp(`${LEAD}(?:not\\s*\\d+(?:\\.\\d+)?${UNIT}\\s*[,;，；]?\\s*(?:but |make it |it'?s )?|\\d+(?:\\.\\d+)?${UNIT}\\s*(?:改成|改为|改|换成|->|→|=>)\\s*)${NUM}${UNIT}$`, 'i');

export function insteadFigure(raw: string): string | null {
  const text = raw.normalize('NFKC').trim().replace(/[\s。.!！]+$/u, '');
  const m = NEW_FIRST.exec(text) ?? OLD_FIRST.exec(text);
  return m?.[1] ?? null;
}
