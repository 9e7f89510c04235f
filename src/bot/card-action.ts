import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { actorKey, codeOfTask, takeAction, type PendingAction, type TakeResult } from './confirmation.ts';
import { loadPending } from './dialogue/state.ts';
import { CANCEL_KEY, CONFIRM_KEY, type Actor, type AnswerCard, type CardUpdate, type InboundMessage, type IntentResult } from './types.ts';

/**
 * The card-click stage (docs/wecom.md, "Cards and confirmations"): a click on a card the bot
 * sent (`InboundMessage.action`) is the same person's typed answer — 确认/取消 for a held action
 * (through confirmation.ts's one store and the pipeline's settle, never a second store), the
 * option's number for a clarification, or the answer a registered task kind gives (an export
 * approval). Exactly once per task: the held action is taken atomically (GETDEL) and every
 * answered task is marked, so a second click or a click after the typed answer runs nothing.
 */

export { CANCEL_KEY, CONFIRM_KEY };

/** WeCom keeps a card's response_code 72 hours: no click on it can come later, so the marks live as long. */
const TASK_TTL_S = 72 * 3600;
const answeredKey = (s: Services, taskId: string) => s.key('card-answered', taskId);
const taskKey = (s: Services, taskId: string) => s.key('card-task', taskId);

/** Marks a task answered; false when it already was (the answer was given before). */
export async function markAnswered(services: Services, taskId: string, how: string): Promise<boolean> {
  return (await services.redis.set(answeredKey(services, taskId), how, 'EX', TASK_TTL_S, 'NX')) === 'OK';
}

/** A card task other than a held action: its kind (which handler answers a click), its owner and the handler's data. */
export interface CardTask {
  kind: string;
  /** actorKey of the only person whose click counts; `*`: anyone (the handler decides who may). */
  owner: string;
  ownerName: string;
  [k: string]: unknown;
}

/** Remembers what a card's task id stands for, for as long as the card can be clicked. */
export async function registerCardTask(services: Services, taskId: string, task: CardTask): Promise<void> {
  await services.redis.set(taskKey(services, taskId), JSON.stringify(task), 'EX', TASK_TTL_S);
}

async function cardTask(services: Services, taskId: string): Promise<CardTask | null> {
  const raw = await services.redis.get(taskKey(services, taskId));
  return raw ? (JSON.parse(raw) as CardTask) : null;
}

/** The card of a held action (the preview is its summary; the text keeps saying how to type the answer). */
export function confirmCard(pending: PendingAction, title: string, summary: string, lang: Lang): AnswerCard | undefined {
  if (!pending.taskId) return undefined;
  return { kind: 'confirm', taskId: pending.taskId, title: t(lang, 'cards.confirmTitle', { title }), summary, expiresAt: pending.expiresAt };
}

/** The first line of a result, short enough to stand in for a card's buttons ("已给 4 位会员打上标签…"). */
export function resultSummary(text: string, max = 24): string {
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  return [...line].length > max ? `${[...line].slice(0, max - 1).join('')}…` : line;
}

/**
 * The card update a settled held action carries, and the mark that makes a later click on its
 * card answer "already handled". Nothing for an action held before cards existed (no task id).
 */
export async function settledUpdate(services: Services, pending: PendingAction, text: string, how: string): Promise<{ cardUpdate?: CardUpdate }> {
  if (!pending.taskId) return {};
  await markAnswered(services, pending.taskId, how);
  return { cardUpdate: { taskId: pending.taskId, text } };
}

/** A handler of a registered task kind: what a click by its owner does (it must itself be idempotent). */
export type CardTaskHandler = (ctx: { services: Services; msg: InboundMessage; actor: Actor; task: CardTask; taskId: string; key: string; lang: Lang }) => Promise<{ intent: string; result: IntentResult }>;

/** What the pipeline does with a click: answer it here, or go on as if the person had typed `text`. */
export type ClickPlan = { kind: 'answer'; intent: string; result: IntentResult } | { kind: 'typed'; text: string; cardUpdate: CardUpdate };

export interface CardActionDeps {
  services: Services;
  /** The pipeline's settle of a taken or lapsed held action: the same code as a typed 确认/取消. */
  settle: (msg: InboundMessage, actor: Actor, taken: Extract<TakeResult, { kind: 'taken' | 'expired' }>, confirm: boolean, lang: Lang) => Promise<IntentResult>;
  /** Handlers of other task kinds (wired by the runtime: the export approval's, src/api/export/approval-cards.ts). */
  tasks?: Record<string, CardTaskHandler>;
}

export function createCardActions({ services, settle, tasks = {} }: CardActionDeps) {
  const reply = (text: string): ClickPlan => ({ kind: 'answer', intent: 'card.action', result: { text, outcome: 'declined' } });
  /** The click's own response_code replaces the one kept from the send: both work once, and this one is fresh. */
  const withCode = (r: IntentResult, responseCode?: string): IntentResult =>
    r.cardUpdate && responseCode ? { ...r, cardUpdate: { ...r.cardUpdate, responseCode } } : r;

  return async function click(msg: InboundMessage, actor: Actor, lang: Lang): Promise<ClickPlan> {
    const { taskId, key, responseCode } = msg.action!;
    const code = await codeOfTask(services, taskId);
    if (code && (key === CONFIRM_KEY || key === CANCEL_KEY)) {
      // A card is clicked where it was shown: the action's own conversation.
      const taken = await takeAction(services, actor, code, msg.conversationId);
      if (taken.kind === 'not_yours') return reply(t(lang, 'cards.notYours', { owner: taken.pending.actorName }));
      if (taken.kind === 'taken' || taken.kind === 'expired') {
        return { kind: 'answer', intent: key === CONFIRM_KEY ? 'action.confirm' : 'action.cancel', result: withCode(await settle(msg, actor, taken, key === CONFIRM_KEY, lang), responseCode) };
      }
    }
    const task = code ? null : await cardTask(services, taskId);
    if (task && task.owner !== '*' && task.owner !== actorKey(actor)) return reply(t(lang, 'cards.notYours', { owner: task.ownerName }));
    if (task?.kind === 'choice') {
      const question = await loadPending(services, msg);
      const option = (task.options as { key: string; label: string }[] | undefined)?.find((o) => o.key === key);
      // Only the open question this card asked; a later question (or none) means the card is stale.
      if ((question?.kind === 'choose' || question?.kind === 'pick') && question.taskId === taskId && option && (await markAnswered(services, taskId, key))) {
        return { kind: 'typed', text: key, cardUpdate: { taskId, text: t(lang, 'cards.chosen', { label: option.label }), ...(responseCode ? { responseCode } : {}) } };
      }
    } else if (task && tasks[task.kind] && !(await services.redis.exists(answeredKey(services, taskId)))) {
      const handled = await tasks[task.kind]!({ services, msg, actor, task, taskId, key, lang });
      return { kind: 'answer', intent: handled.intent, result: withCode(handled.result, responseCode) };
    }
    if (await services.redis.exists(answeredKey(services, taskId))) return reply(t(lang, 'cards.alreadyDone'));
    return reply(t(lang, 'cards.unknownCard'));
  };
}
