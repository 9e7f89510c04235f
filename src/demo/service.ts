import { chinaDay, DAY_MS, HOUR_MS } from '../crm/kernel/index.ts';
import { campaignsBetween, type Campaign } from './campaigns.ts';
import { fixedService } from './fixed-service.ts';
import { FIXED_MEMBERS } from './fixed-members.ts';
import { drawReferrals, type ReferralContext } from './koc.ts';
import type { GeneratedMember } from './member.ts';
import { poisson, Rng } from './random.ts';
import { ServiceBuilder, serviceInstant, type InteractionChannel, type ServiceRecords } from './service-records.ts';
import { AFTER_SALES, COMPLAINT, CONSULTATION, CONSULTATION_TICKET, KOC_PROMOTION, PRAISE, REPAIR } from './service-texts.ts';
import { TAG_ID } from './tags.ts';

/**
 * Service records of one member (interactions, tickets, KOC), drawn from the member's generated
 * profile, orders and latent truth so behaviour is heterogeneous and correlated with it: members
 * on their way out complain in the months before they go, frequent buyers join campaigns,
 * regulars praise, engaged regulars become KOCs, a member tagged 投诉过 has a complaint on file.
 *
 * The draws come from a stream of their own (seed ^ SERVICE_STREAM, index): adding or changing
 * service records never moves a member's profile, orders, tags or truth.
 */

export const SERVICE_STREAM = 0x5e7c1ce5;

export interface ServiceContext extends ReferralContext {
  campaigns: readonly Campaign[];
}

export function makeServiceContext(gen: Omit<ReferralContext, 'members'>, members: number): ServiceContext {
  return { ...gen, members, campaigns: campaignsBetween(gen.windowStartMs, gen.nowMs) };
}

const TOUCH_TYPES = ['consultation', 'praise', 'complaint'] as const;
const CHANNELS: readonly InteractionChannel[] = ['call', 'wechat', 'online', 'store', 'visit'];
const COMPLAINT_CHANNEL_WEIGHTS = [0.3, 0.2, 0.1, 0.4, 0] as const;
const REMOTE_CHANNEL_WEIGHTS = [0.35, 0.45, 0.2, 0, 0] as const;
const TICKET_TYPES = ['repair', 'consultation', 'after_sales'] as const;
const TICKET_PHRASES = { repair: REPAIR, consultation: CONSULTATION_TICKET, after_sales: AFTER_SALES } as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const PRIORITY_WEIGHTS = [0.2, 0.6, 0.15, 0.05] as const;

export function generateService(index: number, g: GeneratedMember, ctx: ServiceContext): ServiceRecords {
  const fixed = FIXED_MEMBERS[index];
  if (fixed) return fixedService(index, g, ctx);

  const rng = new Rng(ctx.seed ^ SERVICE_STREAM, index);
  const { member: m, truth: t, orders } = g;
  const b = new ServiceBuilder(rng, m, ctx.nowMs);
  const from = Math.max(m.registeredAtMs, ctx.windowStartMs);
  // Members stay in touch a little while after their last visit, not beyond.
  const until = t.churnedAtMs === null ? ctx.nowMs : Math.min(ctx.nowMs, t.churnedAtMs + 14 * DAY_MS);
  const leaving = t.churnedAtMs !== null;

  if (until - from > DAY_MS) {
    // Everyday touches, more for members who come more: half at a visit, half by phone or chat.
    const touches = Math.min(20, poisson(rng, 0.08 + 0.05 * orders.length));
    for (let k = 0; k < touches; k++) {
      const atVisit = orders.length > 0 && rng.chance(0.5);
      const order = atVisit ? orders[rng.int(0, orders.length - 1)]! : null;
      const at = order && order.paidAtMs >= from && order.paidAtMs < until ? order.paidAtMs + rng.int(5, 90) * 60_000 : serviceInstant(rng, chinaDay(rng.range(from, until)));
      if (at >= ctx.nowMs) continue;
      const channel = order ? 'store' : rng.weighted(CHANNELS, REMOTE_CHANNEL_WEIGHTS);
      const type = rng.weighted(TOUCH_TYPES, [0.7, t.persona === 'regular' ? 0.3 : 0.12, 0.05]);
      if (type === 'complaint') b.complaint(at, channel, rng.pick(COMPLAINT), leaving);
      else if (type === 'praise') b.interaction('praise', channel, at, rng.pick(PRAISE));
      else b.interaction('consultation', channel, at, rng.pick(CONSULTATION), { followUpDays: [1, 5] });
    }

    // The bad experiences of the purchase process (purchases.ts): each raised the member's
    // leaving hazard, so complaints precede leaving because they cause it, not by design here.
    for (const at of g.complaintsAt) if (at > from) b.complaint(at, rng.weighted(CHANNELS, COMPLAINT_CHANNEL_WEIGHTS), rng.pick(COMPLAINT), leaving);

    // Frequent buyers come to campaigns (rate is purchases per day: a weekly regular ≈ 0.14).
    const join = Math.min(0.4, 0.01 + t.rate * 3);
    for (const c of ctx.campaigns) if (c.atMs >= m.registeredAtMs && c.atMs < until && rng.chance(join)) b.activity(c);

    // Tickets raised without a complaint: a repair, an invoice, a refund.
    const tickets = poisson(rng, 0.015 + 0.006 * orders.length);
    for (let k = 0; k < tickets; k++) {
      const type = rng.pick(TICKET_TYPES);
      const at = serviceInstant(rng, chinaDay(rng.range(from, until)));
      if (at < ctx.nowMs) b.ticket(type, rng.weighted(PRIORITIES, PRIORITY_WEIGHTS), at, rng.pick(TICKET_PHRASES[type]), { byMember: rng.chance(0.3), unhappy: leaving });
    }

    // Engaged members become KOCs, regulars far more often.
    if (orders.length >= 6 && rng.chance(t.persona === 'regular' ? 0.08 : 0.02)) {
      const lo = m.registeredAtMs + 30 * DAY_MS;
      const hi = until - 14 * DAY_MS;
      if (hi > lo) {
        const joinedAt = Math.floor(rng.range(lo, hi));
        const count = Math.min(30, Math.round(rng.gammaMean(4, 1.2)));
        b.koc(joinedAt, drawReferrals(rng, index, joinedAt, ctx.nowMs, count, ctx));
        const promotions = Math.min(10, poisson(rng, 1 + count / 3));
        for (let k = 0; k < promotions; k++) {
          const at = serviceInstant(rng, chinaDay(rng.range(joinedAt, until)));
          if (at < ctx.nowMs) b.interaction('koc_promotion', rng.chance(0.7) ? 'wechat' : 'online', at, rng.pick(KOC_PROMOTION));
        }
      }
    }
  }

  // A member tagged 投诉过 by hand has the complaint that earned the tag on file: before the
  // tag, and while the member still came (the tag may have been added long after).
  const tag = g.tags.find((x) => x.tagId === TAG_ID.complained);
  if (tag && !b.records.interactions.some((i) => i.type === 'complaint' && i.createdAtMs < tag.createdAtMs)) {
    const before = Math.min(tag.createdAtMs, until);
    let at = before - rng.int(HOUR_MS, 3 * DAY_MS);
    if (at <= m.registeredAtMs) at = m.registeredAtMs + Math.floor((before - m.registeredAtMs) / 2);
    b.complaint(at, rng.weighted(CHANNELS, COMPLAINT_CHANNEL_WEIGHTS), rng.pick(COMPLAINT), leaving);
  }
  return b.done();
}
