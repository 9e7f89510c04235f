/**
 * A recall coupon's face value said with no unit, right after the recall's own words ("发召回 25",
 * "流失的发券 20", "每人送30", "召回一下 每人发50") or as so much each ("30 each", "20 per person").
 * The amount extractor reads a bare number only beside a unit or a coupon word it can see; the
 * recall's trigger has already taken "发券"/"召回", so without this the preview held the default
 * value instead of the one asked. A number followed by a unit of time, people, a count, a percent
 * or points is no face value ("召回流失90天的", "召回前50个", "每人3张"). A figure right before the coupon
 * word qualifies the coupon too ("with a 50 coupon", "发个30的券").
 */
const NOT_MONEY = '(?![\\d.])(?!\\s*(?:天|日|周|星期|个月|月|年|人|位|名|个|张|份|次|单|笔|%|％|分|积分|days?|weeks?|months?|years?|people|members?|points?|pts|%))';
const AFTER_WORD = new RegExp(`(?:召回|发券|送券|(?<![面额值])券|每人|每位|每个人|一人一张|一人)\\s*(?:都)?\\s*(?:送|发|给)?\\s*(?:个|张|一张)?\\s*(\\d{1,4}(?:\\.\\d{1,2})?)${NOT_MONEY}`);
const EACH = new RegExp(`(?<![\\d.])(\\d{1,4}(?:\\.\\d{1,2})?)\\s*(?:each|apiece|per (?:person|head|member|customer))\\b`, 'i');
// A figure that qualifies the coupon itself, before it, with no unit ("with a 50 coupon", "a 30 recall voucher", "20的券");
// before a plural it counts them ("3 coupons each").
const BEFORE_COUPON = /(?<![\d.])(\d{1,4}(?:\.\d{1,2})?)(?:\s*-?\s*(?:off\s+)?(?:recall\s+|win-?back\s+)?(?:coupon|voucher)\b|\s*的?\s*(?:召回|优惠|代金)?券)/i;

// A figure alone at the very end, after the whole request that named the coupon ("发召回券给流失会员 20",
// "send the churned a coupon, 25"): the value the request was missing, said last (nothing follows it to make it a count);
// never after a word of rank or threshold ("前 20", "超过 90", "top 20").
const CLOSING = /(?:券|\b(?:coupons?|vouchers?)\b)[^\d]{0,20}?[\s,，:：]\s*(?<!(?:前|超过|大于|多于|高于|满|近|top|over|first|than|last)\s*)(\d{1,4}(?:\.\d{1,2})?)\s*[.!。！]?\s*$/i;

// A figure sent, said with 的 or alone where the request ends ("认真的 发30的", "再给流失的发一轮30的？", "那就发个25"): only read
// for a recall, so 发 sends its coupon; never a count or a time ("发50个", "发30天的").
const AFTER_SEND = new RegExp(`发\\s*(?:个|一轮|一波|一次|一批|一张)?\\s*(\\d{1,4}(?:\\.\\d{1,2})?)${NOT_MONEY}\\s*(?:块钱?|元)?\\s*的?(?=$|[\\s，,。.!！?？吧呗])`);

/** The face value, as the slot spells it ("25.00"), or undefined. */
export function recallAmount(text: string): string | undefined {
  const m = AFTER_WORD.exec(text) ?? EACH.exec(text) ?? BEFORE_COUPON.exec(text) ?? CLOSING.exec(text) ?? AFTER_SEND.exec(text);
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n.toFixed(2) : undefined;
}
