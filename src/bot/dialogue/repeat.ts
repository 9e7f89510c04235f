import { isMemberPointer } from '../../intents/router/member-pointer.ts';

/**
 * "也给陈静加一个", "刘洋也打一个", "same for 李娜", "13800000006 too": the last write again, for the
 * member named. Returns the words that name that member (for memberAnswer), or null when the
 * message says no "again" or says anything besides the member (a new figure is a request of its own).
 */
// "同样的给陈静也来一份", "同样的给刘洋", "一样的给王芳也记一条", "也给陈静建一个": the lead's 同样的 and the tail's verb with
// its measure word (一份 / 一条 / 一笔 / 一张) say "again" as 也 does.
const ZH_LEAD = /^(?:那|还有)?(也|同样的?|一样的?|照样)?[\s，,]*(?:给|帮|把|替)?\s*/;
const ZH_TAIL = /\s*(也|同样|一样|照样)?(?:也)?(?:一样|同样|照样)?(?:要|是)?(?:加|打|贴|弄|来|整|记|发|建|开|扣)?(?:上|一个|一下|个|一份|一条|一笔|一张|份|条|笔|张)?(?:吧|呗|啊|哈)?$/;
const EN = /^(?:(?:and |ok |okay )?(?:also |same (?:for|with|to) |do the same (?:for|to) |ditto for |the same for ))(.+?)$|^(?:and )?(.+?),? (?:too|as well|also)$/i;

/**
 * A pointer ("her too", "她也一样") names no one new: the member in focus is most often the one just written to,
 * and the same write again (points added twice) is no follow-up — left to the router.
 */
export function repeatedFor(raw: string): string | null {
  const text = raw.normalize('NFKC').trim().replace(/[\s。.!！?？~～]+$/u, '');
  const en = EN.exec(text);
  if (en) {
    const who = (en[1] ?? en[2] ?? '').trim();
    return who && !isMemberPointer(who) ? who : null;
  }
  const lead = ZH_LEAD.exec(text)!;
  const afterLead = text.slice(lead[0].length);
  const tail = ZH_TAIL.exec(afterLead)!;
  const again = lead[1] !== undefined || /也|同样|一样|照样/.test(tail[0]);
  const who = afterLead.slice(0, tail.index).trim();
  // "…跟小程序上的不一样": a difference told, not the same again.
  if (/[不没]$/.test(who)) return null;
  return again && who && !isMemberPointer(who) ? who : null;
}
