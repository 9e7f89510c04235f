/**
 * A question the member asked, told as what happened ("周杰来电问生日宴怎么订", "她微信上问包间还有没有空"):
 * the content of a note about the member, not a question the staff member asks the bot. One
 * detector for the router (src/intents/router/write-readings.ts: such a report is still a note to
 * log) and the write gate (src/bot/gate.ts: its question words do not make the note a question).
 *
 * Only after a word of contact or a third person and a verb of asking, with at least two
 * characters of the member's question that do not start with a question word: "王芳来电问了啥",
 * "她问什么了", "来电问啥" are the staff's own questions about the record, and stay questions.
 */
const ASKED_BY_MEMBER =
  /(?:来电|来店|到店|进店|电话(?:里|上)?|打电话(?:过来|来)?|微信(?:上|里)?|企微(?:上|里)?|(?<![我你])[他她]|客人|顾客|会员|客户)\s*(?:来|又|还)?(?:问|询问|咨询|打听)(?![了过]|什么|啥|哪|几|多少|怎么|为什么|为啥|是否)[^，,。；;！!\n]{2,}/u;

/** `text` with the member's reported question blanked (same length, so spans stay valid); unchanged when there is none. */
export function withoutMembersQuestion(text: string): string {
  return text.replace(ASKED_BY_MEMBER, (m) => {
    // Keep the words of contact and asking (a channel, a consultation cue); blank what was asked.
    const at = m.search(/(?:问|询问|咨询|打听)/u);
    const verb = /^(?:询问|咨询|打听|问)/u.exec(m.slice(at))![0];
    return m.slice(0, at + verb.length) + ' '.repeat(m.length - at - verb.length);
  });
}
