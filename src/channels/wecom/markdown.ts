/**
 * Lists as WeCom markdown messages (发送应用消息, msgtype `markdown`: a subset — headings, bold,
 * links, inline code, quotes, font colours — content at most 2048 bytes). The text is the bot's
 * one rendering (src/bot/render.ts); this only marks it up: a list's lead line in bold and the
 * masked phones (138****0001) in inline code, so their asterisks are not read as emphasis.
 * Passive replies stay text (a passive reply carries text only).
 */

/** A line that is an item of a list: "1. …", "2、…", "- …", "• …", "· …". */
const ITEM = /^\s*(?:\d{1,3}[.、)]\s|[-•·]\s)/;

/** True when the text reads as a list: at least two item lines. */
export function hasListStructure(text: string): boolean {
  return text.split('\n').filter((l) => ITEM.test(l)).length >= 2;
}

/** The same text as WeCom markdown. */
export function toWeComMarkdown(text: string): string {
  const lines = text.split('\n').map((l) => l.replace(/[^\s`]*\*[^\s`]*/g, (m) => `\`${m}\``));
  const first = lines[0];
  if (first && first.trim() !== '' && !ITEM.test(first)) lines[0] = `**${first.trim()}**`;
  return lines.join('\n');
}
