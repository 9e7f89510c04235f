import { randomBytes, randomInt } from 'node:crypto';
import type { Services } from '../services.ts';
import type { Actor } from './types.ts';

/** How long a previewed mass action waits for its confirmation. */
export const CONFIRM_TTL_MS = 5 * 60_000;

/** A mass or irreversible action held until the same person confirms it (docs/intents.md, confirmation). */
export interface PendingAction {
  /** 4-digit code shown in the preview ("确认 4821" names it when several people share a chat). */
  code: string;
  /**
   * The card's task id (WeCom template_card task_id: at most 128 bytes of digits, letters and
   * `_-@`, unique per app): a click names the action by it. Older entries may lack it.
   */
  taskId?: string;
  /** Who asked: only they may confirm or cancel. */
  actorKey: string;
  /**
   * The conversation it was asked in (an AI-bot group chat id), absent for the person's own
   * one-to-one chat: it is confirmed, cancelled or reminded of only there, so a "确认" typed in
   * another group never runs it.
   */
  conversation?: string;
  actorName: string;
  intent: string;
  slots: Record<string, unknown>;
  createdAt: string;
  expiresAt: string;
}

/** Staff by WeCom userid (the same person on any channel), members by member id. */
export const actorKey = (a: Actor) => (a.kind === 'staff' ? `staff:${a.wecomUserId}` : `member:${a.memberId}`);

const pendingKey = (s: Services, code: string) => s.key('pending', code);
/** The person's pending action in one conversation (their own chat when `conversation` is absent). */
const scopeOf = (actor: string, conversation?: string) => (conversation ? `${actor}@${conversation}` : actor);
const latestKey = (s: Services, actor: string, conversation?: string) => s.key('pending-by', scopeOf(actor, conversation));
/** task id → code: how a card click finds its action. */
const taskKey = (s: Services, taskId: string) => s.key('pending-task', taskId);

/**
 * A fresh card task id (template_card task_id: digits, letters and `_-@` only, ≤ 128 bytes,
 * never reused within the app): the kind, the time in base 36 and 64 random bits.
 */
export const newTaskId = (kind: string) => `${kind}-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
/** Set by the turn that asked for a confirmation, removed by the person's next turn (whatever it is). */
const freshKey = (s: Services, actor: string, conversation?: string) => s.key('pending-fresh', scopeOf(actor, conversation));
/** Whether a stored action was held in this conversation. */
const sameConversation = (p: PendingAction, conversation?: string) => (p.conversation ?? undefined) === (conversation || undefined);
// Redis keeps the entry a little longer than its expiry, so an expired confirmation is answered
// "expired" (by the injected clock) instead of "nothing pending".
const REDIS_TTL_S = Math.ceil((CONFIRM_TTL_MS * 2) / 1000);

/**
 * Stores the action and makes it the actor's latest pending one in this conversation (a newer
 * preview replaces an older one there; one held in another group chat stays).
 */
export async function holdAction(services: Services, actor: Actor, intent: string, slots: Record<string, unknown>, conversation?: string): Promise<PendingAction> {
  const now = services.now();
  const key = actorKey(actor);
  const previous = await services.redis.get(latestKey(services, key, conversation));
  if (previous) await services.redis.del(pendingKey(services, previous));
  for (;;) {
    const code = String(randomInt(1000, 10000));
    const pending: PendingAction = {
      code,
      taskId: newTaskId('confirm'),
      actorKey: key,
      actorName: actor.name,
      ...(conversation ? { conversation } : {}),
      intent,
      slots,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + CONFIRM_TTL_MS).toISOString(),
    };
    // NX: two pending actions never share a code.
    if ((await services.redis.set(pendingKey(services, code), JSON.stringify(pending), 'EX', REDIS_TTL_S, 'NX')) === 'OK') {
      await services.redis.set(latestKey(services, key, conversation), code, 'EX', REDIS_TTL_S);
      await services.redis.set(taskKey(services, pending.taskId!), code, 'EX', REDIS_TTL_S);
      await services.redis.set(freshKey(services, key, conversation), code, 'EX', REDIS_TTL_S);
      return pending;
    }
  }
}

export type TakeResult =
  | { kind: 'none' }
  | { kind: 'not_yours'; pending: PendingAction }
  | { kind: 'expired'; pending: PendingAction }
  | { kind: 'taken'; pending: PendingAction };

/**
 * Takes the actor's pending action in this conversation (by code, or their latest there) for
 * confirmation or cancellation. Someone else's action is refused and left in place; the
 * person's own action held in another conversation is not taken from here (left in place, as if
 * nothing were pending); an expired one is dropped. GETDEL makes the take atomic: a
 * confirmation sent twice runs the action once.
 */
export async function takeAction(services: Services, actor: Actor, code?: string, conversation?: string): Promise<TakeResult> {
  const key = actorKey(actor);
  const id = code ?? (await services.redis.get(latestKey(services, key, conversation)));
  if (!id) return { kind: 'none' };
  const raw = await services.redis.get(pendingKey(services, id));
  if (!raw) return { kind: 'none' };
  const pending = JSON.parse(raw) as PendingAction;
  if (pending.actorKey !== key) return { kind: 'not_yours', pending };
  if (!sameConversation(pending, conversation)) return { kind: 'none' };
  const taken = await services.redis.getdel(pendingKey(services, id));
  await services.redis.del(latestKey(services, key, conversation));
  if (!taken) return { kind: 'none' };
  if (new Date(pending.expiresAt).getTime() <= services.now().getTime()) return { kind: 'expired', pending };
  return { kind: 'taken', pending };
}

/**
 * What a turn reads about confirmations when it starts, in the same pipeline as the speaker's
 * memory (src/bot/memory.ts `readMemory`):
 * - `fresh`, taken (GETDEL): the code of the action whose confirmation the bot asked for in this
 *   person's previous turn, or null; either way the marker is gone after the read, so only the
 *   very next turn sees it ("嗯" right after "回复「确认」执行" confirms; after any other turn it does not).
 * - `latest`, tested (EXISTS): whether an action of theirs is held in this conversation. Only
 *   `holdAction` sets it, and a turn that holds one answers with its preview, never a reminder:
 *   so when it is absent at the start, the turn's end has no pending action to remind of
 *   (`withPendingReminder` is not asked).
 */
export const turnStartKeys = (services: Services, actor: Actor, conversation?: string) => ({
  fresh: freshKey(services, actorKey(actor), conversation),
  latest: latestKey(services, actorKey(actor), conversation),
});

/** The person's own live pending action in this conversation (latest, or by code), without taking it. */
export async function peekAction(services: Services, actor: Actor, code?: string, conversation?: string): Promise<PendingAction | null> {
  const key = actorKey(actor);
  const id = code ?? (await services.redis.get(latestKey(services, key, conversation)));
  if (!id) return null;
  const raw = await services.redis.get(pendingKey(services, id));
  if (!raw) return null;
  const pending = JSON.parse(raw) as PendingAction;
  if (pending.actorKey !== key || !sameConversation(pending, conversation) || new Date(pending.expiresAt).getTime() <= services.now().getTime()) return null;
  return pending;
}

/** Drops the person's pending action (a negated request for the same thing withdraws it). */
export async function dropAction(services: Services, actor: Actor, pending: PendingAction): Promise<void> {
  const key = actorKey(actor);
  const conversation = pending.conversation;
  // Two DELs, not one of two keys: they live in different hash slots on a Redis Cluster.
  await services.redis.del(pendingKey(services, pending.code));
  await services.redis.del(freshKey(services, key, conversation));
  if ((await services.redis.get(latestKey(services, key, conversation))) === pending.code) await services.redis.del(latestKey(services, key, conversation));
}

/** The code of the pending action a card's task id names (whoever it belongs to, live or expired), or null once it is gone. */
export async function codeOfTask(services: Services, taskId: string): Promise<string | null> {
  const code = await services.redis.get(taskKey(services, taskId));
  if (!code || !(await services.redis.exists(pendingKey(services, code)))) return null;
  return code;
}
