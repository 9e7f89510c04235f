import { blank, findMemberNos, findPhones } from '../../intents/router/extract.ts';
import { toSimplified } from '../../intents/router/traditional.ts';
import { memberAnswer, type Answer } from './answers.ts';

/**
 * "王芳 VIP", "13800000006 加100 生日", "周杰 扣30 兑换饮品": an answer to "哪位会员？" that names the member and
 * goes on with the next details of the request (the tag, the points, the reason) in the same message — the member,
 * and the rest to read as more of the request. Null when the message does not start with a member alone (a name as
 * its first word) or hold a phone or member number.
 */
export function memberAndRest(raw: string): { member: Answer; rest: string } | null {
  const text = toSimplified(raw.normalize('NFKC')).trim();
  const id = findPhones(text)[0] ?? findMemberNos(text)[0];
  if (id) {
    // "13800000003这个 新客首单奖励": the pointer right after the number is at that member, no word of the rest.
    const rest = blank(text, [id.span]).replace(/\s+/g, ' ').trim().replace(/^(?:这个|那个|这位|那位)(?:\s+|$)/u, '');
    const member = memberAnswer(text.slice(id.span.start, id.span.end));
    return member && rest ? { member, rest } : null;
  }
  const [first, ...others] = text.split(/[\s，,、]+/u);
  const rest = others.join(' ').trim();
  const member = first ? memberAnswer(first) : null;
  return member?.bare && rest ? { member, rest } : null;
}
