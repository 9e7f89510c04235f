import type { Lang } from '../../i18n/index.ts';
import { CLARIFY_INTENT } from '../../intents/router/types.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor, InboundMessage, RouteResult } from '../types.ts';
import { alsoFigure } from './also-figure.ts';
import { anotherMember } from './another-member.ts';
import { pendingAnswer } from './answer-pending.ts';
import { bareWriteQuestion, choiceQuestion } from './ask-choice.ts';
import { dialogueContext, type DialogueDeps, type Plan, type Recent, type Turn } from './context.ts';
import { answerCorrection } from './correct-answer.ts';
import { writeCorrection } from './correct-write.ts';
import { memberFocus } from './focus.ts';
import { goAheadAfterDecline } from './go-ahead.ts';
import { heldAction } from './held-action.ts';
import { heldChange } from './held-change.ts';
import { listedBatch } from './listed-batch.ts';
import { memberAsks } from './member-asks.ts';
import { namesMember } from './member-refs.ts';
import { narrowToMember } from './narrow-to-member.ts';
import { answerRefinement } from './refinement.ts';
import { answerMemory } from './remember.ts';
import { rowPick } from './row-pick.ts';
import { seenMember } from './seen-member.ts';
import { shownPick } from './shown-pick.ts';
import { segmentInFocus, segmentNamedAgain } from './segment-focus.ts';
import { savedQuery, segmentNarrow } from './segment-narrow.ts';
import { ticketFollowUp } from './ticket-follow-up.ts';
import { tagInstead } from './tag-instead.ts';
import { ticketPick } from './ticket-pick.ts';
import { transferParty } from './transfer-party.ts';
import { cancelsNothing, unaskedWrites } from './unasked-write.ts';
import { writeUndo as writeUndoOf } from './undo-write.ts';
import { unmatchedReply } from './unmatched.ts';

export type { DialogueDeps, Plan } from './context.ts';

/**
 * The conversation around the router (docs/intents.md, Conversation): numbered clarification,
 * slot filling, the pick from a list of members, refinements of the last answer, the short
 * reply to what is not understood. State per sender in Redis (state.ts), for the conversation's TTL, read and written
 * once a turn through src/bot/memory.ts. This file only orders the concerns — each lives in a file of its own beside
 * it; the first that takes the message plans the turn, so their order is the dialogue's precedence.
 */
export function createDialogue(deps: DialogueDeps) {
  const ctx = dialogueContext(deps);
  const { getIntent, fallback, prepare } = ctx;
  const focus = memberFocus(ctx);
  const answerPending = pendingAnswer(ctx, focus);
  const aboutHeld = heldAction(ctx);
  const goAhead = goAheadAfterDecline(ctx, focus);
  const changeHeld = heldChange(ctx);
  const handOverTo = transferParty(ctx);
  const correctWrite = writeCorrection(ctx, focus);
  const undoWrite = writeUndoOf(ctx, focus);
  const tagSaidInstead = tagInstead(ctx);
  const alsoThat = alsoFigure(ctx, focus);
  const correctAnswer = answerCorrection(ctx);
  const askAgainFor = anotherMember(ctx);
  const narrowTo = narrowToMember(ctx);
  const tickets = ticketFollowUp(ctx);
  const pickTicket = ticketPick(ctx);
  const pickShown = shownPick(ctx);
  const pickRow = rowPick(ctx);
  const seenAgain = seenMember(ctx);
  const narrowSegment = segmentNarrow(ctx);
  const refineLast = answerRefinement(ctx);
  const declineUnasked = unaskedWrites(ctx, focus);
  const batches = listedBatch(ctx);
  const memberTurn = memberAsks(ctx);
  const askChoice = choiceQuestion(ctx);
  const bareWrite = bareWriteQuestion(ctx, askChoice);
  const { remark, unmatched } = unmatchedReply(ctx);

  return {
    /** Before anything runs: an answer to the bot's question, a refinement, a clarification, or the routed intent. */
    async plan(msg: InboundMessage, memory: TurnMemory, actor: Actor, asRouted: RouteResult, lang: Lang): Promise<Plan> {
      const routed = savedQuery(memory.last(), await narrowSegment(memory.last(), segmentNamedAgain(memory.last(), asRouted, msg.text), msg, actor), msg, actor);
      const turn: Turn = { msg, memory, actor, routed, lang };
      const answered = await answerPending(turn);
      if (answered) return answered;
      const { plan: aboutAction, waiting } = await aboutHeld(turn);
      if (aboutAction) return aboutAction;
      const goneAhead = await goAhead(turn);
      if (goneAhead) return goneAhead;
      // Members refine their own answers too ("只看近一个月的" after 我的订单); naming another member is staff's.
      const last = memory.last();
      const recent: Recent = { last, staffLast: actor.kind === 'staff' ? last : null, lastIntent: last && getIntent(last.intent) };
      // A hand-over's party said alone ("王店长", "等下 转给李店长吧"): before a held figure's change reads it as no change.
      const party = await handOverTo(turn);
      if (party) return party;
      const { plan: changed, held } = await changeHeld(turn, waiting);
      if (changed) return changed;
      const plan =
        (await correctWrite(turn, held)) ??
        (await undoWrite(turn, held)) ??
        (await tagSaidInstead(turn, held)) ??
        (await alsoThat(turn, held)) ??
        (await correctAnswer(turn, recent)) ??
        (await askAgainFor(turn, recent)) ??
        (await narrowTo(turn, recent)) ??
        (await tickets.sameTicket(turn)) ??
        (await pickTicket(turn, recent)) ??
        (await pickShown(turn, recent)) ??
        (await pickRow(turn, recent)) ??
        (await refineLast(turn, recent)) ??
        (await declineUnasked(turn, cancelsNothing(turn))) ??
        (await bareWrite(turn)) ??
        (await batches.unsureBatch(turn, recent)) ??
        memberTurn(turn) ??
        (await remark(turn, cancelsNothing(turn)));
      if (plan) return plan;
      if (routed.intent === CLARIFY_INTENT) return askChoice(turn);
      const help = getIntent(fallback[actor.kind]);
      if (!help) throw new Error(`the intent catalogue has no ${fallback[actor.kind]} intent`);
      const intent = getIntent(routed.intent) ?? help;
      if (intent === help) return unmatched(turn, help);
      const listed = await batches.routedToList(turn, recent, intent);
      if ('plan' in listed) return listed.plan;
      const route = listed.route;
      const instead = focus.aboutFocusInstead(memory, actor, intent, routed, msg.text);
      if (instead) return prepare(memory, actor, instead.intent, instead.route, msg.text, lang);
      // A member carried from the turn before (not said now) is reported by number (focus.ts byNumber).
      const carried = namesMember(route.slots) ? null : focus.previousRefs(memory);
      const fromFocus = await seenAgain(intent, await focus.byNumber(focus.focused(memory, actor, intent, route, msg.text), carried, msg, actor), memory, msg, actor);
      const withTicket = await tickets.withTicketNo(msg, memory, actor, intent, fromFocus);
      return prepare(memory, actor, intent, segmentInFocus(last, intent, withTicket), msg.text, lang);
    },

    /** After an intent ran: a list of members is a question ("第二个"); a read answer can be refined next. */
    remember: answerMemory(ctx),
  };
}

export type Dialogue = ReturnType<typeof createDialogue>;
