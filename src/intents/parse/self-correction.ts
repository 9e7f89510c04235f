import { anyWord, CORRECTION, midSentence } from '../../bot/understand/lexicon.ts';

/**
 * A value corrected inside the same message ("给他打个爱吃辣吧哦已经有了那就打个老客", "给王芳加一百 不对 两百分",
 * "send 30 no wait 20", "打个老客 说错了 是流失风险"): the words after the last correction restate the value, and
 * the value they state wins over the one said before — the earlier one is never written. Staff type as they think,
 * so a run-on takes itself back without a new message.
 *
 * Only a marker with words before it counts ("不对 是王芳" alone answers the last turn: src/bot/dialogue/), and only
 * values found after it replace anything (a marker with no value after it — "余额不对 紧急" — changes nothing).
 */
// The correction words (CORRECTION in src/bot/understand/lexicon.ts) said inside a sentence (`midSentence`: never a bare
// 不是 / 错了 / no / wait, which mean no correction there). An interjection's 不 only before a pause or 是 ("哦不 是两百";
// not "哦不错"). Two words of this reader alone: 已经有了 (the value was found on the member already — a reason to
// change it, no correction word) and "make it" (the restatement's own verb: "send 30 make it 20").
const MARKER_ZH = new RegExp(
  `(?:${anyWord(midSentence([...CORRECTION.wrongZh, ...CORRECTION.meantZh]))}|(?:哦|噢|喔|啊)?已经有了|(?:${anyWord(CORRECTION.ohNoZh)})(?=[\\s，,是]))`,
  'g',
);
const MARKER_EN = new RegExp(`\\b(?:${anyWord(midSentence([...CORRECTION.wrongEn, ...CORRECTION.meantEn, 'make it']))})\\b`, 'gi');

/** The last marker of a correction (the restatement starts at its end), or undefined when the message corrects nothing. */
export function correctionAt(text: string): { start: number; end: number } | undefined {
  let at: { start: number; end: number } | undefined;
  for (const re of [MARKER_ZH, MARKER_EN]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      // Something said before the marker, and something after it.
      if (text.slice(0, m.index).trim() === '' || text.slice(m.index + m[0].length).trim() === '') continue;
      const end = m.index + m[0].length;
      if (at === undefined || end > at.end) at = { start: m.index, end };
    }
  }
  return at;
}
