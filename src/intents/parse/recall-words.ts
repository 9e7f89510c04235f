import { cutName, hasFollowerChar, startsWithSurname } from '../router/names.ts';

/**
 * 召回 as a verb (launch, list, status of recalls) or as a description of people ("召回名单",
 * "该召回的客人", "要召回的都有谁"): the latter names the members who should be recalled — the
 * churn list, a read — not a recall. People are described by a list noun right after 召回
 * (名单, 对象) or by 的 and a noun or a who-question, with no sending verb later in the clause:
 * "给要召回的客人发券" still sends ("发我" / "发一下" only hand the list over), and "召回会员"
 * (no 的) is the verb with its object. Never act on a guess: a noun phrase is never a mass send.
 */
const PEOPLE = '(?:名单|对象|的(?:名单|客人|客户|会员|顾客|对象|人(?!数)|都有谁|有谁|是谁|有哪些|是哪些|都有哪些))';
const NO_SEND_LATER = '(?![^，,。；;]*?(?:群发|批量发|(?:发|送|推)(?!我|给我|一下|下|过来|来)))';

/** 召回 (挽回, 唤醒) not describing people: a recall itself, its list or its results. */
export const RECALL_VERB = new RegExp(`(?:召回|挽回|唤醒)(?!${PEOPLE}${NO_SEND_LATER})`);

/** People described by recall ("召回名单", "该召回的客人", "要召回的都有谁"): the churn list. */
export const RECALL_PEOPLE = new RegExp(`(?:召回|挽回|唤醒)${PEOPLE}${NO_SEND_LATER}`);

/**
 * Words that describe people, not name a person ("高风险会员", "老客", "VIP"): never a member a recall is asked for.
 * A given name holds none of them, nor a verb or particle (hasFollowerChar: "王芳说" is no name).
 */
const NOT_A_PERSON = /会员|客|人|户|员|风险|流失|沉睡|名单|店|群|包|们|家|全|都|所有|每|那|这|些|批|组|类|级|卡|召回|券|活动|周年|节|VIP/i;
const HAN_NAME = /^\p{Script=Han}{2,4}$/u;
/** A person's name: a surname and one or two characters (a compound surname and two), or Latin words written with a capital ("Zhang Wei"). */
function personName(run: string): string | undefined {
  const value = run.trim();
  if (/^[A-Z][a-z]+(?: [A-Z][a-z]+)?$/.test(value)) return value;
  if (!HAN_NAME.test(value) || !startsWithSurname(value) || NOT_A_PERSON.test(value)) return undefined;
  // The whole run is the name: nothing glued after it ("把陈静的召回中标签去掉" names her tag, not a recall for her).
  if (cutName(value) !== value) return undefined;
  const given = value.slice(/^(?:欧阳|司马|上官|诸葛|东方|皇甫|慕容|司徒|令狐|夏侯)/.test(value) ? 2 : 1);
  return given.length >= 1 && given.length <= 2 && !hasFollowerChar(given) ? value : undefined;
}
const NAME_RUN = '(\\p{Script=Han}{2,4}?|[A-Z][a-z]+(?: [A-Z][a-z]+)?)';
const SENDS = '(?:也|再|都)?\\s*(?:发|推|送|来)(?:个|张|一张|一个|份|一份|条|一条|点)?\\s*[^，,。；;\\s]{0,4}?(?:召回|挽回|唤醒|券)';
/**
 * Where a recall's one recipient is said: 给 X 发个召回 / 给 X 也送张召回券, 把 X 召回一下; recall / win back X, send X a
 * recall coupon, send a recall to X. Not 召回 X at the end: "召回成效" is no one (成 is a surname too).
 */
const RECIPIENT = [
  new RegExp(`给\\s*${NAME_RUN}\\s*${SENDS}(?!中)`, 'u'),
  new RegExp(`把\\s*${NAME_RUN}\\s*(?:也|再)?\\s*(?:召回|挽回|唤醒)(?!中|名单|的)`, 'u'),
  new RegExp(`\\b(?:recall|win back)\\s+${NAME_RUN}(?![A-Za-z])`, 'u'),
  new RegExp(`\\bsend\\s+${NAME_RUN}\\s+(?:a|an|the)\\s+(?:[\\w$¥]+\\s+){0,2}?(?:recall|win-?back|coupon|voucher)`, 'u'),
  new RegExp(`\\bsend\\s+(?:a|an|the)\\s+(?:[\\w$¥]+\\s+){0,2}?(?:recall|win-?back)(?:\\s+(?:coupon|voucher|message|text))?\\s+to\\s+${NAME_RUN}(?![A-Za-z])`, 'u'),
];

/**
 * The one member a recall is asked for by name ("给陈静发个召回", "recall 陈静"): a recall goes to the churn list or a
 * segment, never to one member, so the write gate says so instead of previewing the whole list (aimsAtOneMember,
 * src/bot/understand/requests.ts). Read only where a recipient stands, and only a person's name: "给高风险会员发召回券",
 * "recall the churn list", "给VIP发券" name no one.
 */
export function recallRecipient(text: string): string | undefined {
  for (const re of RECIPIENT) {
    const m = re.exec(text);
    const name = m?.[1] ? personName(m[1]) : undefined;
    if (name) return name;
  }
  return undefined;
}
