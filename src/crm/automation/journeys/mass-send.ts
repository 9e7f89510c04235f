/**
 * The 群发 journey action (definition.ts `wecom_mass`). WeCom's 创建企业群发
 * (externalcontact/add_msg_template) does not send: it gives the staff member a task, and the
 * message goes out only when they confirm it in their WeCom client. So the step has two phases,
 * both on the step's one execution row:
 *
 *   create  the quota ledger is asked (quiet hours, weekly cap, the 群发 cap — reserved
 *           atomically —, the per-recipient rate); the row goes `sending` on `wecom`, WeCom
 *           creates the task, and its msgid is kept on the row (`provider_id`, `detail.mass`).
 *   wait    every MASS_POLL_MS the sender's `track` reads the customer's row of the task
 *           (get_groupmsg_task → get_groupmsg_send_result): sent → `sent` (acknowledged, the
 *           staff member who sent it and when in `detail.mass`); not a contact → `unreachable`;
 *           over the customer's receive limit → `skipped` (suppressed · wecom_mass_cap); still
 *           unsent when `confirmHours` have passed → withdrawn (cancel_groupmsg_send) and
 *           `skipped` ("not confirmed").
 *
 * While it waits the row is `sending`, which the 群发 cap counts (the reservation); a lapsed,
 * refused or unreachable one is not counted, a sent one is. The enrolment waits at this step; the
 * step's next one runs when it ends, whichever way. A create whose answer was lost is reconciled
 * by the msgid lookup (the sender's `reconcile`) before anything is created again.
 */
import { decide, type QuotaDecision, type QuotaReason } from '../quota/index.ts';
import type { JourneyDeps, MassTracked, OutboundMessage } from './deps.ts';
import type { StepOutcome } from './engine.ts';

/** How often WeCom is asked whether the staff member has sent it. */
export const MASS_POLL_MS = 10 * 60_000;

/** What the row keeps of its 群发 (`detail.mass`). */
export interface MassState {
  msgid: string;
  createdAt: string;
  /** When the journey stops waiting for the confirmation. */
  deadline: string;
  status: MassTracked['status'];
  /** The staff member WeCom gave the task to, once known. */
  sender?: string;
  sentAt?: string;
  checks: number;
}

export type MassResult = 'sent' | 'skipped' | 'unreachable' | 'failed' | 'unknown';

/** The engine's side of the step (engine.ts builds it over the execution row). */
export interface MassIO {
  /** The row's detail, read and written by the step (`mass`, the ledger's notes). */
  detail: Record<string, unknown>;
  /** The row goes `sending` on `wecom` (with the weekly slot of a marketing message): 'cap' when that slot is gone, 'stopped' when the enrolment was stopped. */
  attempt(): Promise<'ok' | 'cap' | 'stopped'>;
  finish(result: MassResult, o: { error?: string; providerId?: string; quota?: { decision: QuotaDecision['decision']; reason: QuotaReason } }): Promise<StepOutcome>;
  defer(q: Extract<QuotaDecision, { decision: 'deferred' }>): Promise<StepOutcome>;
  /** The enrolment was stopped (a recall's stop) before the 群发 was created: nothing goes out, nothing more is recorded. */
  stopped(): Promise<StepOutcome>;
  /** The row stays `sending` with `detail.mass`; the step runs again at `at`. */
  wait(at: Date, providerId: string): Promise<StepOutcome>;
  /** Throws for another try with backoff (the row as it is). */
  retry(reason: string): never;
}

export interface MassInput {
  deps: JourneyDeps;
  memberId: number;
  executionId: number;
  /** The row as read: `sending` means a create (or a wait) is under way. */
  result: string;
  attemptedAt: Date | null;
  /** The member's WeCom external userid. */
  to: string | null;
  key: string;
  text: string;
  now: Date;
  marketing: boolean;
  optedOut: boolean;
  /** The weekly slot is already held by this row (an earlier try took it). */
  capTaken: boolean;
  quietHours?: string;
  confirmHours: number;
  finalAttempt: boolean;
}

export async function runMassSend(x: MassInput, io: MassIO): Promise<StepOutcome> {
  const sender = x.deps.senders.wecom;
  const state = io.detail.mass as MassState | undefined;
  if (!x.to) return io.finish('unreachable', { error: 'wecom: not a WeCom contact' });
  if (!sender) return io.finish('unreachable', { error: 'wecom: not configured' });
  const message: OutboundMessage = { key: x.key, to: x.to, text: x.text };
  if (x.result === 'sending' && state?.msgid) return check(x, io, message, state);

  if (x.result === 'sending') {
    // Created, answer lost: WeCom's list says whether it exists (then it is waited for, not created again).
    const since = new Date((x.attemptedAt ?? x.now).getTime() - 60_000);
    const r = sender.reconcile ? await sender.reconcile(message, since) : ({ status: 'unknown', reason: 'wecom cannot be asked', retryable: false } as const);
    if (r.status === 'delivered' && r.providerId) return check(x, io, message, created(io, x, r.providerId));
    if (r.status === 'unknown') {
      if (r.retryable && !x.finalAttempt) io.retry(r.reason);
      return io.finish('unknown', { error: `群发 create interrupted; ${r.reason}` });
    }
  }
  if (x.marketing && x.optedOut) return io.finish('skipped', { error: 'unsubscribed' });

  const q = await decide(x.deps, {
    memberId: x.memberId,
    channel: 'wecom',
    now: x.now,
    quietHours: x.quietHours,
    marketing: x.marketing && !x.capTaken,
    allowed: ['wecom'],
    message,
    executionId: x.executionId,
  });
  if (q.decision === 'deferred') return io.defer(q);
  if (q.decision === 'suppressed') return io.finish('skipped', { error: `${q.reason}: ${q.detail}`, quota: { decision: 'suppressed', reason: q.reason } });

  const taken = await io.attempt();
  if (taken === 'cap') return io.finish('skipped', { error: 'frequency_cap: marketing messages this week used', quota: { decision: 'suppressed', reason: 'frequency_cap' } });
  if (taken === 'stopped') return io.stopped();
  const r = await sender.send(message);
  if (r.status === 'sent' && r.providerId) {
    created(io, x, r.providerId);
    return io.wait(new Date(x.now.getTime() + MASS_POLL_MS), r.providerId);
  }
  if (r.status === 'sent') return io.finish('unknown', { error: 'wecom: add_msg_template gave no msgid, so the confirmation cannot be followed' });
  if (r.status === 'unreachable') return io.finish('unreachable', { error: r.reason });
  if ((r.status === 'in_doubt' || r.retryable) && !x.finalAttempt) io.retry(`${r.code}: ${r.message}`);
  return io.finish(r.status === 'in_doubt' ? 'unknown' : 'failed', { error: `${r.code}: ${r.message}` });
}

function created(io: MassIO, x: MassInput, msgid: string): MassState {
  const state: MassState = { msgid, createdAt: x.now.toISOString(), deadline: new Date(x.now.getTime() + x.confirmHours * 3600_000).toISOString(), status: 'awaiting', checks: 0 };
  io.detail.mass = state;
  return state;
}

/** The waiting phase: one look at WeCom's record of the task for this customer. */
async function check(x: MassInput, io: MassIO, message: OutboundMessage, state: MassState): Promise<StepOutcome> {
  const sender = x.deps.senders.wecom!;
  const t: MassTracked = sender.track ? await sender.track(state.msgid, message) : { status: 'unknown', reason: 'wecom cannot be asked', retryable: false };
  const next: MassState = { ...state, status: t.status, checks: state.checks + 1, ...('sender' in t && t.sender ? { sender: t.sender } : {}) };
  io.detail.mass = next;
  const who = next.sender ?? 'the staff member';
  if (t.status === 'sent') {
    next.sentAt = (t.sentAt ?? x.now).toISOString();
    return io.finish('sent', { providerId: state.msgid, quota: { decision: 'sent', reason: 'ok' } });
  }
  if (t.status === 'not_friend') return io.finish('unreachable', { error: `wecom: not ${who}'s contact any more, the 群发 did not reach them` });
  if (t.status === 'over_limit') return io.finish('skipped', { error: 'wecom_mass_cap: WeCom refused it, the customer had received their 群发 allowance', quota: { decision: 'suppressed', reason: 'wecom_mass_cap' } });
  const deadline = new Date(state.deadline);
  if (x.now.getTime() >= deadline.getTime()) {
    // Stop the task so a late confirmation sends nothing the journey no longer waits for.
    const withdrawn = await sender.withdraw?.(state.msgid).then(
      () => true,
      () => false,
    );
    const how = withdrawn ? 'withdrawn' : 'could not be withdrawn';
    if (t.status === 'unknown') return io.finish('unknown', { error: `群发 not known to be sent by its deadline (${t.reason}); ${how}`, providerId: state.msgid });
    return io.finish('skipped', { error: `not confirmed: ${who} did not send the 群发 within ${x.confirmHours} h; ${how}` });
  }
  return io.wait(new Date(Math.min(deadline.getTime(), x.now.getTime() + MASS_POLL_MS)), state.msgid);
}
