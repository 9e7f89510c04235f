import type { TicketPriority, TicketType } from '../crm/service/index.ts';
import { chinaDay, chinaDayStartMs, DAY_MS, HOUR_MS } from '../crm/kernel/index.ts';
import type { Campaign } from './campaigns.ts';
import { storeStaff, type DemoStaff } from './identities.ts';
import type { MemberRow } from './member.ts';
import type { Rng } from './random.ts';
import { ACTIVITY_OUTCOME, complaintTicket, type Phrase, type TicketPhrase } from './service-texts.ts';
import { drawTicketLife, type TicketLife } from './ticket-life.ts';

/**
 * A member's service records as drafts (interactions, tickets, KOC profile and referrals), and
 * the builder both the random members (service.ts) and the fixed ones (fixed-service.ts) write
 * them with, so a complaint always opens its ticket and follow-ups always follow the same rule.
 */

export type InteractionType = 'consultation' | 'complaint' | 'praise' | 'activity' | 'koc_promotion';
export type InteractionChannel = 'call' | 'visit' | 'wechat' | 'online' | 'store';

export interface TicketDraft extends TicketLife {
  storeId: number;
  type: TicketType;
  priority: TicketPriority;
  title: string;
  description: string;
  resolution: string | null;
  assigneeId: number;
  createdBy: string;
  createdAtMs: number;
}

export interface InteractionDraft {
  staffId: number | null;
  storeId: number;
  type: InteractionType;
  channel: InteractionChannel;
  content: string;
  outcome: string | null;
  nextAction: string | null;
  followUpAtMs: number | null;
  followUpDoneAtMs: number | null;
  ticket: TicketDraft | null;
  activity: string | null;
  createdAtMs: number;
}

export interface KocDraft {
  level: number;
  joinedAtMs: number;
}

export interface ReferralDraft {
  referredMemberId: number | null;
  /** The referred member's order that redeemed it (its id is looked up after the load by member and instant). */
  redeemedAtMs: number | null;
  commissionCents: number;
  createdAtMs: number;
}

export interface ServiceRecords {
  interactions: InteractionDraft[];
  tickets: TicketDraft[];
  koc: KocDraft | null;
  referrals: ReferralDraft[];
}

/** An instant during service hours (10:00–21:00 China time) of the day `day`. */
export function serviceInstant(rng: Rng, day: number): number {
  return chinaDayStartMs(day) + rng.int(10 * 60, 21 * 60 - 1) * 60_000 + rng.int(0, 59_999);
}

export class ServiceBuilder {
  readonly records: ServiceRecords = { interactions: [], tickets: [], koc: null, referrals: [] };
  private readonly staff: readonly DemoStaff[];

  constructor(
    private readonly rng: Rng,
    private readonly member: Pick<MemberRow, 'id' | 'homeStoreId'>,
    private readonly nowMs: number,
  ) {
    this.staff = storeStaff(member.homeStoreId);
  }

  /** The agent when the store has one (tickets land with them), else its manager. */
  private assignee(): DemoStaff {
    return this.staff.find((s) => s.role === 'agent') ?? this.staff[0]!;
  }

  /**
   * A follow-up `minDays`–`maxDays` after `fromMs`; done (shortly after it was due) for most of
   * those already due, pending for the rest and for those still ahead.
   */
  private followUp(fromMs: number, minDays: number, maxDays: number): { at: number; done: number | null } {
    const at = serviceInstant(this.rng, chinaDay(fromMs) + this.rng.int(minDays, maxDays));
    const doneAt = at + this.rng.int(0, 6 * HOUR_MS);
    return { at, done: doneAt < this.nowMs && this.rng.chance(0.9) ? doneAt : null };
  }

  interaction(type: InteractionType, channel: InteractionChannel, atMs: number, phrase: Phrase, opts: { activity?: string; followUpDays?: [number, number]; followUpPending?: boolean; ticket?: TicketDraft; byMember?: boolean } = {}): InteractionDraft {
    const f = opts.followUpDays && phrase.nextAction ? this.followUp(opts.ticket?.resolvedAtMs ?? atMs, ...opts.followUpDays) : null;
    const d: InteractionDraft = {
      staffId: opts.byMember ? null : this.rng.pick(this.staff).id,
      storeId: this.member.homeStoreId,
      type,
      channel,
      content: phrase.content,
      outcome: opts.ticket && opts.ticket.resolvedAtMs === null ? '已登记，工单处理中' : phrase.outcome,
      nextAction: f ? phrase.nextAction : null,
      followUpAtMs: f?.at ?? null,
      followUpDoneAtMs: opts.followUpPending ? null : (f?.done ?? null),
      ticket: opts.ticket ?? null,
      activity: opts.activity ?? null,
      createdAtMs: atMs,
    };
    this.records.interactions.push(d);
    return d;
  }

  ticket(type: TicketType, priority: TicketPriority, atMs: number, phrase: TicketPhrase, opts: { unhappy?: boolean; byMember?: boolean; createdBy?: string } = {}): TicketDraft {
    const life = drawTicketLife(this.rng, { priority, createdAtMs: atMs, nowMs: this.nowMs, unhappy: opts.unhappy ?? false });
    const t: TicketDraft = {
      ...life,
      storeId: this.member.homeStoreId,
      type,
      priority,
      title: phrase.title,
      description: phrase.title,
      resolution: life.resolvedAtMs === null ? null : phrase.resolution,
      assigneeId: this.assignee().id,
      createdBy: opts.createdBy ?? (opts.byMember ? `member:${this.member.id}` : this.rng.pick(this.staff).wecomUserId),
      createdAtMs: atMs,
    };
    this.records.tickets.push(t);
    return t;
  }

  /** A complaint opens a high-priority complaint ticket at the same instant (as logInteraction does). */
  complaint(atMs: number, channel: InteractionChannel, phrase: Phrase, unhappy: boolean): InteractionDraft {
    const priority: TicketPriority = this.rng.chance(0.1) ? 'urgent' : 'high';
    const ticket = this.ticket('complaint', priority, atMs, complaintTicket(phrase), { unhappy });
    return this.interaction('complaint', channel, atMs, phrase, { ticket, followUpDays: [1, 3] });
  }

  activity(c: Campaign): InteractionDraft {
    const at = c.atMs + this.rng.int(0, 3 * HOUR_MS);
    return this.interaction('activity', c.channel, at, { content: `参加「${c.name}」`, outcome: ACTIVITY_OUTCOME, nextAction: null }, { activity: c.name });
  }

  koc(joinedAtMs: number, referrals: ReferralDraft[]): void {
    const redeemed = referrals.filter((r) => r.redeemedAtMs !== null).length;
    this.records.koc = { level: redeemed >= 8 ? 3 : redeemed >= 3 ? 2 : 1, joinedAtMs };
    this.records.referrals = referrals;
  }

  /** Interactions and tickets oldest first, as they would have been logged. */
  done(): ServiceRecords {
    this.records.interactions.sort((a, b) => a.createdAtMs - b.createdAtMs);
    this.records.tickets.sort((a, b) => a.createdAtMs - b.createdAtMs);
    return this.records;
  }
}

