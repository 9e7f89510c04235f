/**
 * A value corrected inside the same message ("给他打个爱吃辣吧哦已经有了那就打个老客", "给王芳加一百 不对 两百分",
 * "send 30 no wait 20", "打个老客 说错了 是流失风险"): the words after the last correction restate the value, and
 * the value they state wins over the one said before — the earlier one is never written. Staff type as they think,
 * so a run-on takes itself back without a new message.
 *
 * Only a marker with words before it counts ("不对 是王芳" alone answers the last turn: src/bot/dialogue/), and only
 * values found after it replace anything (a marker with no value after it — "余额不对 紧急" — changes nothing).
 */
const MARKER_ZH = /(?:不对不对|不对|不是不是|说错了|搞错了|打错了|写错了|弄错了|(?:哦|噢|喔|啊)?已经有了|(?:哦|噢|喔|啊|呃)不(?=[\s，,是])|我是说|我的意思是|应该是|更正(?:一下)?)/g;
const MARKER_EN = /\b(?:no\s*,?\s*wait|wait\s*,?\s*no|sorry\s*,?\s*(?:i\s+)?meant|i\s+meant|i\s+mean|scratch\s+that|oops|correction|make\s+it|actually)\b/gi;

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
