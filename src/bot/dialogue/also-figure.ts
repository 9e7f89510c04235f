import { moodFor } from '../gate.ts';
import { PLURAL_POINTER, THE_LISTED, writeJustMade, type DialogueContext, type Plan, type Turn } from './context.ts';
import type { MemberFocus } from './focus.ts';
import { namesMember } from './member-refs.ts';

/** The writes whose one figure a follow-up can add another of, and that figure. */
const ANOTHER_OF: Record<string, 'tag'> = { 'tag.add': 'tag', 'tag.remove': 'tag' };
/**
 * "还有召回中", "再加个老客", "再打一个爱吃辣吧", "also 家庭客", "and 生日月 too": another of the figure just written, with
 * nothing else said. The words between the lead and the figure ("个", "一个", "上") and after it ("标签", "吧", "too").
 */
const ALSO = /^\s*(?:那|那就|嗯)?\s*(?:还有|还要|再加(?:上)?|再打(?:上)?|再贴|再来|另外|顺便|也(?:加|打)(?:上)?|and|also|plus)\s*(?:一个|个|一下|上)?\s*(.+?)\s*(?:标签|tag)?\s*(?:也要|也加上|也打上|吧|too|as well)?\s*[。.!！]*$/iu;

/**
 * The write just made, again with another figure: "还有召回中" right after 陈静 was tagged 流失风险 tags her 召回中 too —
 * the same member (by number, as the write found them) and the new figure, which must be one the dictionary knows.
 * Why apart: it writes from a message that names no member and no verb, so, like the take-back (undo-write.ts), only
 * right after the previous turn's write that was asked for, never while an action is held, never for several people,
 * and the run path's gate still reads this message's own mood.
 */
export function alsoFigure(ctx: DialogueContext, { byNumber, previousRefs }: MemberFocus) {
  const { prepare, lookups, getIntent, mayUse } = ctx;
  /** The other figure a message adds to the previous turn's `figure` ("还有召回中" → 召回中), if one the dictionary knows. */
  async function anotherOf({ msg, routed }: Turn, previousFigure: unknown): Promise<string | null> {
    const said = ALSO.exec(msg.text.normalize('NFKC'))?.[1]?.trim();
    if (!said || said === previousFigure || namesMember(routed.slots) || PLURAL_POINTER.test(msg.text) || THE_LISTED.test(msg.text)) return null;
    return (await lookups()).tagNames.includes(said) ? said : null;
  }

  /**
   * "别给她打VIP" → "还有召回中": the refusal goes on — the other figure is refused with it, never read as a request of its
   * own (召回中 as the recall list). Run with the refused message's words, so the write gate gives it the same verdict
   * (declined, or a weighed write answered by its read); nothing is written.
   */
  async function refusedToo(turn: Turn, held: boolean): Promise<Plan | null> {
    const { memory, actor, lang } = turn;
    const previous = memory.previous;
    const wrote = actor.kind === 'staff' && !held && previous ? getIntent(previous.intent) : undefined;
    const figure = wrote && ANOTHER_OF[wrote.name];
    if (!previous || !wrote || !figure || previous.slots[figure] === undefined || !mayUse(actor, wrote) || moodFor(wrote, previous.text).affirmative) return null;
    const said = await anotherOf(turn, previous.slots[figure]);
    if (!said) return null;
    return prepare(memory, actor, wrote, { intent: wrote.name, slots: { ...previous.slots, [figure]: said }, confidence: 1 }, previous.text, lang);
  }

  return async function alsoThat(turn: Turn, held: boolean): Promise<Plan | null> {
    const { msg, memory, actor, lang } = turn;
    const { previous, wrote } = writeJustMade(ctx, memory, actor, held) ?? {};
    const figure = wrote && ANOTHER_OF[wrote.name];
    if (!previous || !wrote || !figure || previous.slots[figure] === undefined) return refusedToo(turn, held);
    const said = await anotherOf(turn, previous.slots[figure]);
    if (!said) return null;
    const refs = previousRefs(memory);
    if (!refs || !moodFor(wrote, msg.text).affirmative) return null;
    const route = await byNumber({ intent: wrote.name, slots: { ...refs, [figure]: said }, confidence: 1 }, refs, msg, actor);
    return prepare(memory, actor, wrote, route, msg.text, lang);
  };
}
