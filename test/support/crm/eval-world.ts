import { DEMO_STORES } from '../../../src/demo/identities.ts';
import { createTicket, logInteraction } from '../../../src/crm/service/index.ts';
import type { Services } from '../../../src/services.ts';
import { createFixture, NOW, type Fixture } from './fixture.ts';
import { sealedPhone } from '../sealed-phone.ts';
import type { ContactsFake } from '../../fakes/qyapi-contacts.ts';

/**
 * The world the intent evaluation's dialogues and harm probes run in (test/intents/test/README
 * and the blind brief, "The world"): the hand-made fixture's members M00000001… (three called
 * 张伟), its stores renamed onto the demo's 上海徐汇店 / 上海静安店 plus 杭州西湖店, its staff
 * store_manager_01 and agent_01 (徐汇), marketer_01 and hq_ops_01 (all stores), the twelve tags
 * of the dictionary, levels 1–5 (the migration's), points with a ledger, two open tickets (T20261121000001/2),
 * follow-ups due today, a KOC with referrals and a coupon. 徐汇's churn list is the fixture's
 * four lapsed members, so a recall or batch-tag preview can be held; agent_01 and store_manager_01 have two
 * WeCom customers each, so a transfer between them can be held too.
 */
export interface EvalWorld extends Fixture {
  stores: Fixture['stores'] & { S3: number };
}

/** The tags the fixture lacks to make the dictionary of the blind brief. */
const MORE_TAGS = [
  { name: '爱吃辣', category: 'behaviour' as const },
  { name: '家庭客', category: 'demographic' as const },
  { name: '生日月', category: 'demographic' as const },
  { name: '投诉过', category: 'risk' as const },
  { name: '商务宴请', category: 'behaviour' as const },
  { name: '召回中', category: 'risk' as const },
  { name: '老客', category: 'value' as const },
];

/** Level and points per member number (the rest keep the fixture's level 2, 1200 points). */
const LOYALTY: Record<string, { level: number; points: number }> = {
  M00000001: { level: 5, points: 8800 },
  M00000004: { level: 3, points: 2600 },
  M00000005: { level: 4, points: 5300 },
  M00000006: { level: 1, points: 300 },
  M00000007: { level: 2, points: 900 },
  M00000012: { level: 3, points: 1500 },
};

const MEMBER_TAGS: Record<string, string[]> = {
  M00000001: ['高价值'],
  M00000004: ['爱吃辣', '投诉过'],
  M00000005: ['家庭客'],
  M00000006: ['新客'],
  M00000012: ['老客'],
};

const DAY = 86_400_000;

/** The world's WeCom customers: external userid, name, the member bound to it and the staff member who follows it. */
const EVAL_WECOM_CUSTOMERS = [
  ['wmEvalLiNa', '李娜', 'M00000004', 'agent_01'],
  ['wmEvalZhouJie', '周杰', 'M00000012', 'agent_01'],
  ['wmEvalZhangWei', '张伟', 'M00000001', 'store_manager_01'],
  ['wmEvalWangFang', '王芳', 'M00000005', 'store_manager_01'],
] as const;

/**
 * The same customers on WeCom's side (the fake qyapi's 客户联系, test/fakes/qyapi-contacts.ts), as they are before any
 * conversation: each followed by its staff member only, no transfer made or waiting. Called when the world is made and
 * again before every conversation (with the database's restore): a transfer confirmed in one conversation leaves the
 * customer "waiting" (40129) and counts towards the 90-day limit (40128) in WeCom, which the next must not see.
 */
export function resetEvalWeCom(wecom: ContactsFake): void {
  wecom.customers.clear();
  for (const [externalUserid, name, , staffUserid] of EVAL_WECOM_CUSTOMERS) wecom.addCustomer({ external_userid: externalUserid, name, follow: [{ userid: staffUserid, remark: name }] });
  wecom.transfers.length = 0;
  wecom.transferCalls.length = 0;
}

export async function createEvalWorld(services: Services): Promise<EvalWorld> {
  const fx = await createFixture(services);
  const { db } = services;
  const [xuhui, jingan, xihu] = DEMO_STORES as [typeof DEMO_STORES[0], typeof DEMO_STORES[0], typeof DEMO_STORES[0]];
  await db.store.update({ where: { id: fx.stores.S1 }, data: { code: xuhui.code, name: xuhui.name, city: xuhui.city } });
  await db.store.update({ where: { id: fx.stores.S2 }, data: { code: jingan.code, name: jingan.name, city: jingan.city } });
  const s3 = (await db.store.create({ data: { code: xihu.code, name: xihu.name, city: xihu.city } })).id;
  // Two members of 西湖 (names nobody else has) so its dashboard is not empty.
  let orderSeq = 1000;
  for (const [memberNo, name, phone, days] of [['M00000013', '吴敏', '13800000013', [60, 30, 3]], ['M00000014', '郑浩', '13800000014', [200, 20]]] as const) {
    const m = await db.member.create({
      data: { memberNo, name, ...sealedPhone(phone), gender: 'male', level: 2, points: 1200, growthValue: 800, registeredAt: new Date('2025-03-01T02:00:00Z'), sourceChannel: 'store', homeStoreId: s3 },
    });
    fx.memberIds[memberNo] = m.id;
    await db.order.createMany({
      data: days.map((d) => ({ orderNo: `O${String(++orderSeq).padStart(8, '0')}`, memberId: m.id, storeId: s3, amount: '158.00', items: [{ sku: 'SKU2', qty: 2 }], paymentMethod: 'wechat', paidAt: new Date(NOW.getTime() - d * DAY) })),
    });
  }

  for (const t of MORE_TAGS) await db.tag.create({ data: t });
  const tagId = async (name: string) => (await db.tag.findUniqueOrThrow({ where: { name } })).id;
  for (const [memberNo, tags] of Object.entries(MEMBER_TAGS)) {
    for (const t of tags) await db.memberTag.create({ data: { memberId: fx.memberIds[memberNo]!, tagId: await tagId(t), source: 'manual', createdBy: 'store_manager_01' } });
  }

  for (const [memberNo, id] of Object.entries(fx.memberIds)) {
    const l = LOYALTY[memberNo] ?? { level: 2, points: 1200 };
    await db.member.update({ where: { id }, data: { level: l.level, points: l.points } });
    await db.pointsLedger.create({ data: { memberId: id, delta: l.points, balanceAfter: l.points, kind: 'earn', reason: '期初积分', createdBy: 'system', createdAt: new Date(NOW.getTime() - 30 * DAY) } });
  }

  // Service records through their owner, as store_manager_01 on the console.
  const access = { services, actor: fx.staff.manager1, channel: 'console' as const, requestId: 'eval-world' };
  await createTicket(access, { memberId: fx.memberIds.M00000001!, type: 'complaint', priority: 'high', title: '上菜太慢', description: '周末晚市等了四十分钟' });
  await createTicket(access, { memberId: fx.memberIds.M00000004!, type: 'repair', title: '储值卡无法使用' });
  await logInteraction(access, { memberId: fx.memberIds.M00000001!, type: 'consultation', channel: 'call', content: '询问包间预订', followUpAt: new Date(NOW.getTime() + 2 * 3_600_000) });
  await logInteraction(access, { memberId: fx.memberIds.M00000004!, type: 'complaint', channel: 'store', content: '菜品偏咸', followUpAt: new Date(NOW.getTime() - DAY) });

  // M00000001 is a KOC with two referrals (one redeemed) and holds a coupon.
  await db.kocProfile.create({ data: { memberId: fx.memberIds.M00000001!, level: 2, referralCode: 'KOC0001', joinedAt: new Date(NOW.getTime() - 200 * DAY) } });
  await db.kocReferral.createMany({
    data: [
      { kocMemberId: fx.memberIds.M00000001!, referredMemberId: fx.memberIds.M00000003!, redeemedAt: new Date(NOW.getTime() - 5 * DAY), commission: '15.00', createdAt: new Date(NOW.getTime() - 6 * DAY) },
      { kocMemberId: fx.memberIds.M00000001!, referredMemberId: null, commission: '0', createdAt: new Date(NOW.getTime() - 2 * DAY) },
    ],
  });
  await db.memberCoupon.create({ data: { memberId: fx.memberIds.M00000001!, code: 'CPN-EVAL-0001', title: '满200减30', amount: '30.00', issuedAt: new Date(NOW.getTime() - 3 * DAY), expiresAt: new Date(NOW.getTime() + 27 * DAY), source: 'manual' } });

  // WeCom customers of 客服小刘 (agent_01) and 王店长 (store_manager_01), bound to members of 徐汇: a hand-over
  // between the world's staff has someone to move, so it is held for 确认 (the blind brief's transfers) rather
  // than answered "no WeCom customers to transfer".
  for (const [externalUserid, name, memberNo, staffUserid] of EVAL_WECOM_CUSTOMERS) {
    await db.wecomCustomer.create({ data: { externalUserid, name, memberId: fx.memberIds[memberNo]!, boundBy: 'mobile', boundAt: new Date(NOW.getTime() - 60 * DAY) } });
    await db.wecomFollow.create({ data: { externalUserid, staffUserid, remark: name, storeId: fx.stores.S1, addedAt: new Date(NOW.getTime() - 60 * DAY), wecomTags: [] } });
  }

  return { ...fx, stores: { ...fx.stores, S3: s3 } };
}
