import { DAY_MS, HOUR_MS } from '../crm/kernel/index.ts';
import { FIXED_MEMBERS } from './fixed-members.ts';
import { generateMember, type GenContext } from './member.ts';
import type { Rng } from './random.ts';
import type { ReferralDraft } from './service-records.ts';

/**
 * A KOC's referrals. Each invitee is a real member who registered after the KOC joined, found
 * by regenerating candidate members (generation depends on (seed, index, now) only, so any
 * member can be looked at from any chunk); when two candidates both registered earlier, the
 * invitation was shared but nobody signed up with it. An invitee's first order within 30 days
 * of registering redeems the referral, earning the KOC 5 % of it.
 */

export interface ReferralContext extends GenContext {
  /** Members in this seed: invitees are drawn among them. */
  members: number;
}

const TRIES = 2;
const REDEEM_WINDOW_MS = 30 * DAY_MS;
const COMMISSION = 0.05;

export function drawReferrals(rng: Rng, index: number, joinedAtMs: number, untilMs: number, count: number, ctx: ReferralContext): ReferralDraft[] {
  const out: ReferralDraft[] = [];
  const seen = new Set<number>();
  const first = FIXED_MEMBERS.length;
  for (let k = 0; k < count; k++) {
    const r: ReferralDraft = { referredMemberId: null, redeemedAtMs: null, commissionCents: 0, createdAtMs: Math.floor(rng.range(joinedAtMs, untilMs)) };
    for (let t = 0; t < TRIES && ctx.members > first + 1; t++) {
      const cand = rng.int(first, ctx.members - 1);
      if (cand === index || seen.has(cand)) continue;
      const g = generateMember(cand, ctx);
      const reg = g.member.registeredAtMs;
      if (reg <= joinedAtMs || reg >= untilMs) continue;
      seen.add(cand);
      r.referredMemberId = g.member.id;
      r.createdAtMs = Math.max(joinedAtMs, reg - rng.int(HOUR_MS, 5 * DAY_MS));
      const order = g.orders.find((o) => o.paidAtMs >= reg && o.paidAtMs < reg + REDEEM_WINDOW_MS);
      if (order) {
        r.redeemedAtMs = order.paidAtMs;
        r.commissionCents = Math.round(order.amountCents * COMMISSION);
      }
      break;
    }
    out.push(r);
  }
  return out.sort((a, b) => a.createdAtMs - b.createdAtMs);
}
