import type { StaffActor } from '../../../src/bot/types.ts';
import { STAFF_STORES, toStaffActor } from '../../../src/crm/kernel/index.ts';
import type { StaffRole } from '../../../src/generated/prisma/enums.ts';
import type { Services } from '../../../src/services.ts';
import { sealedPhone } from '../sealed-phone.ts';

/**
 * A small, hand-made CRM for integration tests of crm/ and intents/ (independent of the demo
 * seed): two stores, staff of every role, members whose order rhythms are chosen to sit
 * clearly inside or outside the churn rule, and a few tags.
 */
export const NOW = new Date('2026-11-21T04:00:00.000Z');
const DAY = 86_400_000;

export interface FixtureMember {
  memberNo: string;
  name: string;
  phone: string;
  store: 'S1' | 'S2' | null;
  status?: 'active' | 'frozen' | 'deleted';
  /** Days before NOW of each order, any order. */
  orders: number[];
  /** Order amounts as decimal strings (cycled when shorter than `orders`). */
  amounts: string[];
  tags?: string[];
}

export const MEMBERS: FixtureMember[] = [
  // Regular: every 30 days, last 10 days ago; amounts that a float sum would get wrong.
  { memberNo: 'M00000001', name: '张伟', phone: '13800000001', store: 'S1', orders: [160, 130, 100, 70, 40, 10], amounts: ['1000.10', '100.20', '0.10', '0.20', '99.90', '34.30'], tags: ['VIP'] },
  { memberNo: 'M00000002', name: '张伟', phone: '13800000002', store: 'S2', orders: [300, 200], amounts: ['88.00'] },
  { memberNo: 'M00000003', name: '张伟', phone: '13800000003', store: 'S1', orders: [5], amounts: ['19.90'] },
  // Lapsed regular: every 20 days, silent for 150 → churn.
  { memberNo: 'M00000004', name: '李娜', phone: '13800000004', store: 'S1', orders: [250, 230, 210, 190, 170, 150], amounts: ['520.00', '480.50'] },
  // Slow rhythm: every 60 days, silent for 120 (> 90 but < 3 × 60) → not churn.
  { memberNo: 'M00000005', name: '王芳', phone: '13800000005', store: 'S1', orders: [420, 360, 300, 240, 180, 120], amounts: ['300.00'] },
  // One order only: no rhythm yet → left out of the churn list.
  { memberNo: 'M00000006', name: '刘洋', phone: '13800000006', store: 'S1', orders: [200], amounts: ['999.00'] },
  // Gaps 10, 10, 100 (median 10), silent for 95 → churn, smaller spend than 李娜.
  { memberNo: 'M00000007', name: '陈静', phone: '13800000007', store: 'S1', orders: [215, 205, 195, 95], amounts: ['50.00'] },
  // Lapsed in the other store: only its manager and HQ see it.
  { memberNo: 'M00000008', name: '赵磊', phone: '13800000008', store: 'S2', orders: [400, 370, 340, 310], amounts: ['200.00'] },
  { memberNo: 'M00000009', name: '张伟华', phone: '13800000009', store: 'S1', orders: [], amounts: [] },
  { memberNo: 'M00000010', name: 'Zhang Wei', phone: '13800000010', store: 'S1', orders: [400, 380, 330, 329], amounts: ['66.60'] },
  // Deleted: invisible to everyone.
  { memberNo: 'M00000011', name: '孙丽', phone: '13800000011', store: 'S1', status: 'deleted', orders: [500, 480, 460], amounts: ['10.00'] },
  // Even number of gaps (4, 6, 30, 40 → median 18), silent 100 → churn.
  { memberNo: 'M00000012', name: '周杰', phone: '13800000012', store: 'S1', orders: [180, 176, 170, 140, 100], amounts: ['120.00', '80.00'] },
];

export const TAGS = [
  { name: 'VIP', category: 'value' as const },
  { name: '高价值', category: 'value' as const },
  { name: '高价值客户', category: 'value' as const },
  { name: '流失风险', category: 'risk' as const },
  { name: '新客', category: 'demographic' as const },
];

export interface Fixture {
  stores: { S1: number; S2: number };
  staff: Record<'manager1' | 'manager2' | 'agent' | 'marketer' | 'hq', StaffActor>;
  memberIds: Record<string, number>;
}

export async function createFixture(services: Services): Promise<Fixture> {
  const { db } = services;
  const s1 = await db.store.create({ data: { code: 'S1', name: '上海一店', city: '上海' } });
  const s2 = await db.store.create({ data: { code: 'S2', name: '北京二店', city: '北京' } });
  const stores = { S1: s1.id, S2: s2.id };

  const staff = async (wecomUserId: string, name: string, role: StaffRole, storeIds: number[]): Promise<StaffActor> => {
    const s = await db.staff.create({ data: { wecomUserId, name, role, stores: { create: storeIds.map((storeId) => ({ storeId })) } }, include: STAFF_STORES });
    return toStaffActor(s);
  };

  const tagIds = new Map<string, number>();
  for (const t of TAGS) tagIds.set(t.name, (await db.tag.create({ data: t })).id);

  const memberIds: Record<string, number> = {};
  let orderSeq = 0;
  for (const m of MEMBERS) {
    const row = await db.member.create({
      data: {
        memberNo: m.memberNo,
        name: m.name,
        ...sealedPhone(m.phone),
        gender: 'female',
        birthday: new Date('1990-05-01T00:00:00Z'),
        level: 2,
        points: 1200,
        growthValue: 3400,
        registeredAt: new Date('2024-01-05T02:00:00Z'),
        sourceChannel: 'miniprogram',
        homeStoreId: m.store ? stores[m.store] : null,
        status: m.status ?? 'active',
      },
    });
    memberIds[m.memberNo] = row.id;
    await db.order.createMany({
      data: m.orders.map((daysAgo, i) => ({
        orderNo: `O${String(++orderSeq).padStart(8, '0')}`,
        memberId: row.id,
        storeId: m.store === 'S2' ? s2.id : s1.id,
        amount: m.amounts[i % m.amounts.length]!,
        items: [{ sku: 'SKU1', qty: 1 }],
        paymentMethod: 'wechat',
        paidAt: new Date(NOW.getTime() - daysAgo * DAY - 3_600_000),
      })),
    });
    for (const t of m.tags ?? []) await db.memberTag.create({ data: { memberId: row.id, tagId: tagIds.get(t)!, source: 'rule' } });
  }

  return {
    stores,
    staff: {
      manager1: await staff('store_manager_01', '王店长', 'store_manager', [s1.id]),
      manager2: await staff('store_manager_02', '李店长', 'store_manager', [s2.id]),
      agent: await staff('agent_01', '客服小刘', 'agent', [s1.id]),
      marketer: await staff('marketer_01', '市场小陈', 'marketer', []),
      hq: await staff('hq_ops_01', '总部运营', 'hq_operator', []),
    },
    memberIds,
  };
}
