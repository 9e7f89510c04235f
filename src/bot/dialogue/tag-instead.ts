import { tagDictionary } from '../../crm/engagement/index.ts';
import { findDictionaryTags } from '../../intents/router/extract.ts';
import { toSimplified } from '../../intents/router/traditional.ts';
import type { DialogueContext, Plan, Turn } from './context.ts';
import { namesMember, MEMBER_REF } from './member-refs.ts';

/** The tag writes that refuse a tag the dictionary lacks ("标签库里没有「爱喝酒」"). */
const TAG_WRITES = ['tag.add', 'tag.batch'];
/** Words around a tag said instead: "那就家庭客吧", "用老客", "换成 VIP", "ok 老客 then". */
const BEFORE = /^(?:(?:那|好|行|嗯|哦|ok|okay)[\s，,]*)*(?:那就|就|那|用|换成|改成|改用|换|打|贴|加)?\s*/iu;
const AFTER = /^\s*(?:标签)?\s*(?:吧|呗|好了|也行|就行|then|instead)?[\s。.!！]*$/iu;

/**
 * "那就家庭客吧" right after 给李娜加个标签 爱喝酒 was refused because the dictionary has no 爱喝酒: the same write with the
 * tag now named — the member as first named, the gate reading this message. Only when the reply is that tag alone (a
 * member or anything else named makes it a request of its own) and the tag refused is indeed not in the dictionary.
 */
export function tagInstead({ services, getIntent, mayUse, prepare }: DialogueContext) {
  return async function tagSaidInstead({ msg, memory, actor, routed, lang }: Turn, held: boolean): Promise<Plan | null> {
    const previous = memory.previous;
    const write = previous && TAG_WRITES.includes(previous.intent) ? getIntent(previous.intent) : undefined;
    if (!previous || !write || held || actor.kind !== 'staff' || !mayUse(actor, write) || typeof previous.slots.tag !== 'string') return null;
    if (namesMember(routed.slots) && routed.intent !== previous.intent) return null;
    const names = (await tagDictionary(services)).map((t) => t.name);
    if (names.includes(previous.slots.tag)) return null;
    const text = toSimplified(msg.text.normalize('NFKC')).trim();
    const tag = findDictionaryTags(text, names)[0];
    if (!tag || text.slice(0, tag.span.start).replace(BEFORE, '') !== '' || !AFTER.test(text.slice(tag.span.end))) return null;
    const refs = Object.fromEntries(MEMBER_REF.filter((k) => previous.slots[k] !== undefined).map((k) => [k, previous.slots[k]]));
    const slots = { ...previous.slots, ...refs, tag: tag.value };
    delete (slots as Record<string, unknown>).text;
    return prepare(memory, actor, write, { intent: write.name, slots, confidence: 1 }, `${previous.text.replace(previous.slots.tag, tag.value)}`, lang);
  };
}
