import { isAppError } from '../crm/kernel/index.ts';
import type { Router } from '../intents/router/types.ts';
import { heldPreview, type IntentDef } from '../intents/types.ts';
import type { Services } from '../services.ts';
import { authorize } from './authorize.ts';
import { CONFIRM_TTL_MS, holdAction, peekAction, takeAction, type TakeResult } from './confirmation.ts';
import { confirmCard, createCardActions, resultSummary, settledUpdate, type CardTaskHandler } from './card-action.ts';
import { intentTitle } from '../intents/localized.ts';
import { gate, slotsOf } from './gate.ts';
import { ackIntentFor, confirmationGate, withPendingReminder as remind } from './gate-confirm.ts';
import { assentOf, holdsBack } from './understand/assent.ts';
import { routingText } from './understand/routing-text.ts';
import { asksAboutTheAct } from './understand/lexicon.ts';
import { asksAboutTheWrite, asksWhetherDone } from '../intents/parse/done-question.ts';
import { replyLanguage, t, type Lang } from '../i18n/index.ts';
import { readMemory, type TurnMemory } from './memory.ts';
import { createDialogue } from './dialogue/turn.ts';
import { alongsideCompletion, claimSignal, withInboxClaim } from './inbox/claim.ts';
import { execute } from './execute.ts';
import { errorReply } from './error-reply.ts';
import { answerWithoutRedis, redisDown } from './degraded.ts';
import { isConnectionError } from '../redis.ts';
import { identifyActor } from './identify.ts';
import { llmFor } from '../llm/client.ts';
import { rateLimitedAnswer } from './rate-limit.ts';
import { render } from './render.ts';
import type { Actor, BotAnswer, CardUpdate, HandleMessage, HandleOutcome, InboundMessage, IntentResult, RouteResult } from './types.ts';
import { MEMBER_REF_SLOTS } from '../intents/slots/member-ref.ts';

export interface BotDeps {
  services: Services;
  router: Router;
  getIntent: (name: string) => IntentDef | undefined;
  /** What a click on a card of another kind does (the runtime wires the export approval's). */
  cardTasks?: Record<string, CardTaskHandler>;
}

/** A turn's reads started beside its inbox claim (readAhead in createBot). */
interface Ahead {
  actor: Promise<Actor | null>;
  /** null: not routed ahead (a card click), or no actor. */
  routed: Promise<RouteResult | null>;
}

/** What each audience gets for anything unrecognised. */
const FALLBACK = { staff: 'help', member: 'my.help' } as const;

/**
 * The bot: dedupe → identify actor → route → conversation (focus, pending confirmations) →
 * authorize → flood limit (member, staff) → execute → render; the channel then delivers (passively on
 * the same request, or pushed through the outbound queue). One file per stage beside this one; this file only
 * composes them.
 */
export function createBot({ services, router, getIntent, cardTasks }: BotDeps): HandleMessage {
  const dialogue = createDialogue({ services, getIntent, fallback: FALLBACK });
  const cardClick = createCardActions({ services, settle: (msg, actor, taken, confirm, lang) => settle(msg, actor, taken, confirm, lang, services.logger), tasks: cardTasks });
  return async function handle(msg: InboundMessage): Promise<HandleOutcome> {
    const log = services.logger.child({ requestId: msg.requestId, channel: msg.channel, messageId: msg.messageId });
    // The durable inbox (src/bot/inbox/): claimed before the answer, completed or released with it.
    // Who is speaking and what they ask are read while the claim's INSERT is in flight (readAhead).
    const ahead = readAhead(msg);
    return withInboxClaim(services, msg, log, () => answerOrDegrade(msg, log, ahead));
  };

  /**
   * The part of a turn that only reads — the sender's identity (a process-cached copy for staff)
   * and, when no LLM is configured, the route (rules and classifier: CPU; a withdrawal's peek at
   * the held action) — started as soon as the claim's INSERT has gone out and run while
   * it is in flight (docs/benchmarks.md, "Chat turns"). Nothing here writes or sends to anyone:
   * exactly-once is the claim's, unchanged — a duplicate delivery only wastes this work. The speaker's memory is not read ahead: its read takes the
   * confirmation's `fresh` mark (GETDEL), a write that must follow the claim. A card click routes
   * the text its option stands for, known only after the claim: not routed ahead.
   */
  function readAhead(msg: InboundMessage): Ahead {
    // After the current tick: the claim's INSERT is written to its socket first, then this CPU work runs beside it.
    const actor = new Promise<void>((r) => setImmediate(r)).then(() => identifyActor(services, msg));
    // With an LLM configured the router may call it: a call made for a delivery that turns out a
    // duplicate is a call too many (test/e2e/inbox-crash.test.ts counts them) — routed after the claim then.
    const routed = msg.action || llmFor(services) ? Promise.resolve(null) : actor.then((a) => (a ? routeOf(msg, a) : null));
    // Awaited by the answer; a duplicate never awaits them (their failure is then nobody's).
    actor.catch(() => undefined);
    routed.catch(() => undefined);
    return { actor, routed };
  }

  /** The route of the request (a withdrawal of a held action needs no router). */
  async function routeOf(msg: InboundMessage, actor: Actor): Promise<RouteResult> {
    // The router reads the request without a correction's lead or a member's claim to be staff; the gates read the whole message.
    // "先别确认" / "等一下" / "不是这个标签" while an action is pending withdraw it: never taken, never re-read as a request of its own.
    const withdraws = actor.kind === 'staff' && holdsBack(msg.text) && Boolean(await peekAction(services, actor, undefined, msg.conversationId));
    if (withdraws) return { intent: 'action.cancel', slots: {}, confidence: 1 };
    // A member's "嗯嗯好" / "ok": nothing of a member's is ever held for 确认, so vague assent is their small talk — never
    // help, never a choice between intents (staff's is read against what they hold: gate-confirm.ts).
    if (actor.kind === 'member' && assentOf(msg.text) === 'vague') return { intent: ackIntentFor(actor), slots: {}, confidence: 1 };
    return router.route(routingText(msg.text, actor.kind), { audience: actor.kind, actor, services, requestId: msg.requestId, signal: claimSignal() });
  }

  /**
   * Redis away (src/bot/degraded.ts): answered without memory or queues. A connection error in
   * the full path can only come before anything was done — what follows an action (memory,
   * reminders) is best-effort below — so the degraded answer replaces it safely.
   */
  async function answerOrDegrade(msg: InboundMessage, log: typeof services.logger, ahead: Ahead): Promise<HandleOutcome> {
    const degrade = () => answerWithoutRedis({ services, router, getIntent, fallback: FALLBACK }, msg, log);
    if (redisDown(services)) return degrade();
    try {
      return await answer(msg, log, ahead);
    } catch (e) {
      if (!isConnectionError(e)) throw e;
      return degrade();
    }
  }

  /** Memory written after the turn ran: lost with Redis, never worth losing the answer for. */
  async function bestEffort<T>(p: Promise<T>, otherwise: T, log: typeof services.logger): Promise<T> {
    try {
      return await p;
    } catch (e) {
      if (!isConnectionError(e)) throw e;
      log.warn({ err: (e as Error).message }, 'conversation memory not written (Redis unavailable)');
      return otherwise;
    }
  }

  async function answer(msg: InboundMessage, log: typeof services.logger, ahead: Ahead): Promise<HandleOutcome> {
    const started = Date.now();
    const actor = await ahead.actor;
    // The speaker's memory and the actor's confirmation state in one read (src/bot/memory.ts); what the turn changes is written once, at its end.
    // Any turn makes an earlier "回复「确认」执行" stale (memory.fresh was taken by the read): vague assent confirms only right after it.
    const memory = await readMemory(services, msg, actor);
    const lang = replyLanguage(msg.text, memory.lang);
    if (!actor) {
      log.info({ from: msg.from }, 'unregistered sender');
      // 微信客服: a customer not bound to a member is asked to bind (never told about staff sign-up).
      const text = t(lang, msg.channel === 'wecom_kf' ? 'kf.bindFirst' : 'bot.notRegistered');
      return { kind: 'answer', answer: { intent: 'unregistered', slots: {}, confidence: 1, text, outcome: 'declined' } };
    }
    // A card click (src/bot/card-action.ts): answered there, or read on as the option's number typed.
    let clicked: CardUpdate | undefined;
    if (msg.action) {
      const plan = await cardClick(msg, actor, lang);
      if (plan.kind === 'answer') {
        const r = plan.result;
        const out: BotAnswer = { intent: plan.intent, slots: {}, confidence: 1, text: render(r.text, msg.channel, lang), ...(r.outcome ? { outcome: r.outcome } : {}), data: r.data, ...(r.cardUpdate ? { cardUpdate: r.cardUpdate } : {}) };
        log.info({ intent: out.intent, taskId: msg.action.taskId, key: msg.action.key, ms: Date.now() - started }, 'card click answered');
        return { kind: 'answer', answer: out };
      }
      clicked = plan.cardUpdate;
      msg = { ...msg, text: plan.text };
    }
    // Routed while the claim was taken (readAhead); a card click's option is routed now.
    const routed: RouteResult = (await ahead.routed) ?? (await routeOf(msg, actor));
    // The conversation decides what runs: an answer to the bot's question, a refinement, a question back, or the routed intent.
    const plan = await dialogue.plan(msg, memory, actor, routed, lang);
    const route = plan.route;
    // A reply to the bot's own question runs with the original request's text, so the write gate reads what was asked.
    let result: IntentResult;
    if (plan.kind === 'reply') result = plan.result;
    else {
      const ran = await run(plan.text === msg.text ? msg : { ...msg, text: plan.text }, actor, plan.intent, route, lang, log, memory, plan.changesHeld === true);
      result = await bestEffort(dialogue.remember(memory, actor, plan, ran, lang), ran, log);
    }
    // A question the gate answered with a read intent reports that intent.
    const reported = result.intent ?? route.intent;
    // Reported as its read ("她VIP标签还在吗" → her profile): the slots that read takes, not the write's tag.
    const readInstead = reported !== route.intent ? getIntent(reported) : undefined;
    const asRead = readInstead ? slotsOf(readInstead, route.slots) : route.slots;
    // An option picked from "你是想：1 … 2 …" ("1", "订单那个") reports the member it found by number, not the words first typed.
    const found = plan.kind === 'run' && plan.picked ? result.focus?.memberNo : undefined;
    const reportedSlots = found && MEMBER_REF_SLOTS.some((k) => asRead[k] !== undefined) ? { ...Object.fromEntries(Object.entries(asRead).filter(([k]) => !(MEMBER_REF_SLOTS as string[]).includes(k))), memberNo: found } : asRead;

    if (result.focus) memory.setFocus(result.focus);
    memory.recordTurn(msg, { ...route, intent: reported, slots: reportedSlots }, lang);
    // Written while the inbox completion commits (src/bot/inbox/claim.ts), not before it.
    const flushed = bestEffort(memory.flush(), undefined, log);
    if (!alongsideCompletion(flushed)) await flushed;
    const cardUpdate = result.cardUpdate ?? clicked;
    const out: BotAnswer = { ...route, intent: reported, slots: reportedSlots, text: render(result.text, msg.channel, lang), ...(result.outcome ? { outcome: result.outcome } : {}), data: result.data, ...(result.image ? { image: result.image } : {}), ...(result.card ? { card: result.card } : {}), ...(cardUpdate ? { cardUpdate } : {}) };
    log.info({ intent: out.intent, confidence: out.confidence, ms: Date.now() - started, actor: actor.kind === 'staff' ? actor.wecomUserId : `member:${actor.memberId}` }, 'answered');
    return { kind: 'answer', answer: out };
  }

  /**
   * authorize → gate (src/bot/gate.ts: a write runs only on an affirmative instruction) → (hold
   * for confirmation | run a confirmed action | execute); expected failures become the reply.
   * Every result says what the turn did (`outcome`).
   */
  async function run(msg: InboundMessage, actor: Actor, intent: IntentDef, route: RouteResult, lang: Lang, log: typeof services.logger, memory: TurnMemory, changesHeld = false): Promise<IntentResult> {
    const fresh = memory.fresh;
    // No action held when the turn started: none to remind of at its end (confirmation.ts `turnStartKeys`), and no read for it.
    const withPendingReminder: typeof remind = (...a) => (memory.held ? remind(...a) : Promise.resolve(a[3]));
    try {
      authorize(actor, intent);
      const limited = await rateLimitedAnswer(services, actor, intent, lang);
      if (limited) {
        log.warn({ intent: intent.name, actor: actor.kind }, 'action rate-limited');
        return limited;
      }
      // A bare "好的" / "ok" answers a confirmation request whatever the router made of it.
      const assent = actor.kind === 'staff' && intent.name !== 'action.cancel' ? assentOf(msg.text) : null;
      if (intent.name === 'action.confirm' || intent.name === 'action.cancel' || assent) {
        const handled = await resolvePending(msg, actor, intent.name !== 'action.cancel', route, lang, log, fresh);
        // "嗯嗯" routed as small talk that took the held action: what the turn did was confirm it.
        if (handled) return assent && (handled.data as { confirmed?: unknown } | undefined)?.confirmed !== undefined ? { ...handled, intent: 'action.confirm' } : handled;
        if (intent.effect !== 'control') return await withPendingReminder(services, actor, lang, done(intent, await execute(services, msg, actor, intent, route, lang)), getIntent, msg.conversationId);
        return { ...(await execute(services, msg, actor, intent, route, lang)), outcome: 'answered' };
      }
      const verdict = await gate({ services, actor, intent, route, text: msg.text, lang, getIntent, conversationId: msg.conversationId, previous: memory.previous?.intent ?? null, held: memory.held });
      if (verdict.kind === 'reply') {
        log.info({ intent: intent.name, outcome: verdict.result.outcome }, 'write gate answered instead of acting');
        return await withPendingReminder(services, actor, lang, verdict.result, getIntent, msg.conversationId);
      }
      if (verdict.kind === 'read') {
        authorize(actor, verdict.intent);
        const r = done(verdict.intent, await execute(services, msg, actor, verdict.intent, verdict.route, lang));
        // A question weighing a write ("要不要给王芳打个VIP", "should we tag…") is answered by its read but is
        // about the write: that is the intent reported. So is whether it was done to a member ("给她打过VIP了吗",
        // "有人给她加过积分没"); whether a recall went out asks for its own record, the read (asksAboutTheWrite).
        // A question about the act said by its gerund ("is exporting a segment logged anywhere?") is about the write, though
        // it reads as whether something was done.
        const aboutTheWrite = verdict.lead !== undefined && (!asksWhetherDone(msg.text) || asksAboutTheWrite(msg.text, intent) || asksAboutTheAct(msg.text));
        return await withPendingReminder(services, actor, lang, { ...r, intent: aboutTheWrite ? intent.name : verdict.intent.name, text: verdict.lead ? `${verdict.lead}\n${r.text}` : r.text }, getIntent, msg.conversationId);
      }
      if (intent.confirm) {
        const parsed = intent.slots.safeParse(route.slots);
        if (parsed.success) {
          // A held action changed in place is previewed again whatever its size (IntentContext.changesHeld).
          const ctx = { services, actor, channel: msg.channel, requestId: msg.requestId, lang, ...(changesHeld ? { changesHeld } : {}) };
          const held = await intent.confirm(ctx, parsed.data);
          if (held) {
            const { text: preview, focus } = heldPreview(held);
            const pending = await holdAction(services, actor, intent.name, parsed.data, msg.conversationId);
            log.info({ intent: intent.name, code: pending.code }, 'action held for confirmation');
            const minutes = Math.round(CONFIRM_TTL_MS / 60_000);
            // The card carries the preview with 确认/取消 buttons where the channel shows cards; the text still says how to type it.
            const card = confirmCard(pending, intentTitle(intent, lang), preview, lang);
            return { text: `${preview}\n${t(lang, 'bot.heldSuffix', { minutes, code: pending.code })}`, data: { pending: { code: pending.code, intent: intent.name, expiresAt: pending.expiresAt, ...(pending.taskId ? { taskId: pending.taskId } : {}) } }, outcome: 'held', ...(card ? { card } : {}), ...(focus ? { focus } : {}) };
          }
        }
      }
      return await withPendingReminder(services, actor, lang, done(intent, await execute(services, msg, actor, intent, route, lang)), getIntent, msg.conversationId);
    } catch (e) {
      if (!isAppError(e)) throw e;
      return { text: errorReply(e, lang, intent), outcome: 'declined' };
    }
  }

  /**
   * "确认" / "取消": only the person who asked, before expiry; vague assent only right after the
   * bot asked (src/bot/gate-confirm.ts); null when nothing is pending (the intent answers).
   */
  async function resolvePending(msg: InboundMessage, actor: Actor, confirm: boolean, route: RouteResult, lang: Lang, log: typeof services.logger, fresh: string | null): Promise<IntentResult | null> {
    let code = typeof route.slots.code === 'string' ? route.slots.code : undefined;
    if (confirm) {
      const g = await confirmationGate(services, actor, msg.text, fresh, lang, getIntent, msg.conversationId);
      if (!g.take) return g.result;
      code = code ?? g.code;
    }
    const taken = await takeAction(services, actor, code, msg.conversationId);
    switch (taken.kind) {
      case 'none':
        return null;
      case 'not_yours':
        log.warn({ code: taken.pending.code, owner: taken.pending.actorKey }, 'confirmation by another user refused');
        return { text: t(lang, confirm ? 'bot.confirmNotYours' : 'bot.cancelNotYours', { code: taken.pending.code, owner: taken.pending.actorName }), outcome: 'declined' };
      case 'expired':
      case 'taken':
        return settle(msg, actor, taken, confirm, lang, log);
    }
  }

  /**
   * A held action taken by its owner (typed, or by a click on its card): lapsed, cancelled, or run
   * now. Each outcome carries the update of the action's card (src/bot/card-action.ts).
   */
  async function settle(msg: InboundMessage, actor: Actor, taken: Extract<TakeResult, { kind: 'taken' | 'expired' }>, confirm: boolean, lang: Lang, log: typeof services.logger): Promise<IntentResult> {
    const pending = taken.pending;
    if (taken.kind === 'expired') return { text: t(lang, 'bot.pendingExpired', { code: pending.code }), outcome: 'declined', ...(await settledUpdate(services, pending, t(lang, 'cards.expired'), 'expired')) };
    if (!confirm) {
      // "先别发 我再想想", "算了", "标签不对": whatever words withdraw it, a held action withdrawn is 取消 (action.cancel).
      return { text: t(lang, 'bot.pendingCancelled', { code: pending.code }), data: { cancelled: pending.intent }, outcome: 'declined', ...(await settledUpdate(services, pending, t(lang, 'cards.cancelled', { name: actor.name }), 'cancel')) };
    }
    const intent = getIntent(pending.intent);
    if (!intent) return { text: t(lang, 'bot.pendingUnsupported'), outcome: 'declined' };
    try {
      // Permissions may have changed since the preview: authorize again before running.
      authorize(actor, intent);
      log.info({ intent: intent.name, code: pending.code }, 'confirmed action runs');
      const r = await execute(services, msg, actor, intent, { intent: intent.name, slots: pending.slots, confidence: 1 }, lang);
      const update = await settledUpdate(services, pending, t(lang, 'cards.confirmed', { name: actor.name, result: resultSummary(r.text) }), 'confirm');
      return { ...done(intent, r), data: { confirmed: intent.name, slots: pending.slots, result: r.data }, ...update };
    } catch (e) {
      if (!isAppError(e)) throw e;
      const text = errorReply(e, lang, intent);
      return { text, outcome: 'declined', ...(await settledUpdate(services, pending, resultSummary(text), 'failed')) };
    }
  }
}

/** What a turn that ran `intent` did, unless the intent (or execute's question for a missing slot) said. */
/**
 * A turn is `done` only when the intent says it wrote or sent something: a write that found
 * nothing to do (no such segment, an empty list, a missing amount) answered, it did not act.
 */
function done(_intent: IntentDef, r: IntentResult): IntentResult {
  return { ...r, outcome: r.outcome ?? 'answered' };
}
