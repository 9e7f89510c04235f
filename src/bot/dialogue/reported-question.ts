/**
 * "她打电话来问周六包间还有没有", "微信上问年夜饭还有没有位置", "客人打听能不能带宠物": the customer's question, reported — dictated
 * content for a note or ticket the bot asked about, not a question put to the bot. Only an A-not-A tail ("还有没有",
 * "能不能打包") after a verb of asking makes one: a message that ends by asking the bot (吗, 呢, ?) stays a question
 * ("她问过什么吗" asks about her records).
 */
const REPORTING = /(?:问|打听|咨询|想知道|asked|asking|wants? to know|wondering|wondered)/iu;
const EMBEDDED_TAIL = /(?:有没有|没有|能不能|可不可以|是不是|行不行|要不要)[^\s，,。]{0,8}[\s。.!！~～]*$/u;
const ASKS_BOT = /(?:[?？]|吗|么|呢)[\s。.!！~～]*$/u;

export function reportedQuestion(text: string): boolean {
  const said = text.normalize('NFKC').trim();
  if (ASKS_BOT.test(said)) return false;
  const reporting = REPORTING.exec(said);
  if (!reporting) return false;
  // The verb of asking before the question it reports, with something asked between them.
  const after = said.slice(reporting.index + reporting[0].length);
  return EMBEDDED_TAIL.test(after) && after.replace(EMBEDDED_TAIL, '').trim().length > 0;
}
