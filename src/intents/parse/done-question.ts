/**
 * "Did it happen?" — a question whether an action was done ("券发出去了吗", "王芳的VIP打上了没",
 * "张伟那通电话记了没", "did the coupons go out"). It names the action's words but asks about
 * its result, so the router reads it as the action's read counterpart (recall.status,
 * member.summary, member.interactions …), never as the action. A polite request ("帮她打个VIP好吗",
 * "can you tag her") is not one: it asks for the action, not about it. Pure, over NFKC text.
 */

// A result word (了/过, or a completed verb 好/完/上/掉/出去) then a yes-no ending: 吗, 么, 没(有), 不, 嘛.
const ZH_DONE = /(?:了|过|好|完|上|掉|出去|到)\s*(?:吗|么|嘛|没有?|不|没呢)\s*[?？。!！~～]*\s*$/;
// "有没有给王芳打标签", "是不是已经发了", "发了没", "到底发没发".
const ZH_DONE_ANYWHERE = /有没有(?:给|把|帮|替)?|是不是已经|已经.{0,12}了(?:吗|么|没)|([发打加记建停开转扣导])没\1|了没(?:有)?(?:啊|呀|呢)?/;
// "…了吗？再发一次" is rare; a trailing request ("好吗", "可以吗", "行吗") asks for the action.
const ZH_REQUEST = /(?:好吗|好不好|可以吗|行吗|行不行|能不能|可不可以|能否|麻烦)\s*[?？。!！~～]*\s*$/;
const EN_DONE = /^(?:did|has|have|had|was|were|is|are)\b.*\b(?:go(?:ne)? out|went out|sent|done|added|tagged|logged|recorded|created|opened|stopped|cancell?ed|applied|given|credited|deducted|launched|finished|transferred|exported|removed)\b/i;

export function asksWhetherDone(text: string): boolean {
  const t = text.normalize('NFKC').trim();
  if (/[\p{Script=Han}]/u.test(t)) {
    if (ZH_REQUEST.test(t)) return false;
    return ZH_DONE.test(t) || ZH_DONE_ANYWHERE.test(t);
  }
  return EN_DONE.test(t);
}
