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
