import { cutName, hasFollowerChar, startsWithSurname } from './names.ts';

/**
 * Words after which a message introduces a person inside a longer run: who was talked with
 * ("我们跟李娜聊过什么", "上次和王芳沟通了啥") or what someone is called ("有个客人叫陈静来问…").
 * Only before a surname: "跟进", "和平", "叫什么" introduce no one.
 */
const MARKER = /(?:跟|和|与|同|叫做|名叫|叫)(?=\p{Script=Han}{2})/gu;

/**
 * The name a run of Han characters introduces after such a word, cut where a verb, particle or
 * time word follows it (cutName): two or three characters starting with a surname, or undefined.
 * A run that itself starts with a surname is read by the usual steps, not here.
 */
export function introducedName(run: string): string | undefined {
  if (startsWithSurname(run)) return undefined;
  for (const m of run.matchAll(MARKER)) {
    const after = run.slice(m.index + m[0].length);
    if (!startsWithSurname(after)) continue;
    const cut = cutName(after);
    const n = [...cut].length;
    // A remainder not cut at a follower is a name only when it is name-sized itself.
    if (n < 2 || n > 3) continue;
    if (!/^\p{Script=Han}+$/u.test(cut) || hasFollowerChar(cut.slice(1))) continue;
    return cut;
  }
  return undefined;
}
