import { openPhone, type MemberBrief } from '../../customers/index.ts';
import { ordersOf, type MemberOrders } from '../../sales/index.ts';
import type { SelfAccess } from '../../kernel/index.ts';

export interface MyAccount {
  memberNo: string;
  name: string;
  level: number;
  points: number;
  growthValue: number;
  homeStore: string | null;
  marketingOptOutAt: Date | null;
}

/** The member's own card (points, level, growth value, home store). */
export async function myAccount({ services, actor }: SelfAccess): Promise<MyAccount> {
  const m = await services.db.member.findUniqueOrThrow({
    where: { id: actor.memberId },
    select: { memberNo: true, name: true, level: true, points: true, growthValue: true, marketingOptOutAt: true, homeStore: { select: { name: true } } },
  });
  return { ...m, homeStore: m.homeStore?.name ?? null };
}

/** The member's own recent orders. */
export async function myOrders(access: SelfAccess, opts: { days?: number; limit?: number }): Promise<MemberOrders> {
  const m = await access.services.db.member.findUniqueOrThrow({
    where: { id: access.actor.memberId },
    select: { id: true, memberNo: true, name: true, phoneEnc: true, level: true, points: true, status: true, homeStore: { select: { name: true } } },
  });
  const { phoneEnc, ...rest } = m;
  const brief: MemberBrief = { ...rest, phone: openPhone(phoneEnc), homeStore: m.homeStore?.name ?? null };
  return ordersOf(access.services, brief, opts);
}

export interface MyCoupon {
  code: string;
  title: string;
  amount: string | null;
  expiresAt: Date | null;
}

/** The member's usable coupons: issued, not past their expiry (by the injected clock), soonest to expire first. */
export async function myCoupons({ services, actor }: SelfAccess): Promise<MyCoupon[]> {
  const now = services.now();
  const rows = await services.db.memberCoupon.findMany({
    where: { memberId: actor.memberId, status: 'issued', OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
    take: 20,
    select: { code: true, title: true, amount: true, expiresAt: true },
  });
  // MySQL sorts NULL first ascending: coupons that never expire go last.
  const sorted = [...rows.filter((r) => r.expiresAt), ...rows.filter((r) => !r.expiresAt)];
  return sorted.map((r) => ({ ...r, amount: r.amount?.toFixed(2) ?? null }));
}
