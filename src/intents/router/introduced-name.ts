import { cutName, hasFollowerChar, startsWithSurname } from './names.ts';

/**
 * Words after which a message introduces a person inside a longer run: who was talked with
 * ("我们跟李娜聊过什么", "上次和王芳沟通了啥"), visited or received, or what someone is called ("有个客人叫陈静来问…").
 * Only before a surname: "跟进", "和平", "叫什么" introduce no one.
 */
// … or whom staff went to see or received ("上门拜访了陈静聊了下…", "今天接待了王芳"): the member the visit is logged for.
const MARKER = /(?:跟|和|与|同|叫做|名叫|叫|(?:拜访|看望|探望|接待|约见)(?:了|过)?)(?=\p{Script=Han}{2})/gu;

/**
 * The name a run of Han characters introduces after such a word, cut where a verb, particle or
 * time word follows it (cutName): two or three characters starting with a surname, or undefined.
 * A run that itself starts with a surname is read by the usual steps, not here.
 */
/**
 * 给/把 before a member and the write done to them, deep in a run ("上次是不是给周杰打过…", "…我晚点再看你先给周杰打个…"):
 * the member the write is for. Only with a write verb right after the name — or nothing, where the router already took
 * the write's trigger word out of the run —, so "给高价值客户…" or "把黄金…" name no one.
 */
const WRITE_MARKER = /(?:给|把)(?=\p{Script=Han}{2})/gu;
const WRITE_AFTER = /^(?:打|加|扣|记|转|发|建|开|去掉|删|备注|登记|$)/;

export function introducedName(run: string): string | undefined {
  if (startsWithSurname(run)) return undefined;
  const markers = [...run.matchAll(MARKER)].map((m) => ({ m, write: false }));
  markers.push(...[...run.matchAll(WRITE_MARKER)].map((m) => ({ m, write: true })));
  for (const { m, write } of markers) {
    const after = run.slice(m.index + m[0].length);
    if (!startsWithSurname(after)) continue;
    const cut = cutName(after);
    if (write && !WRITE_AFTER.test(after.slice(cut.length))) continue;
    const n = [...cut].length;
    // A remainder not cut at a follower is a name only when it is name-sized itself.
    if (n < 2 || n > 3) continue;
    if (!/^\p{Script=Han}+$/u.test(cut) || hasFollowerChar(cut.slice(1))) continue;
    return cut;
  }
  return undefined;
}
