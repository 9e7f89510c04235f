import type { Services } from '../../src/services.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from './sealed-phone.ts';

/**
 * Test data for the segment engine: a few dozen members with every attribute varied (seeded
 * PRNG), their orders, tags and complaints, kept as plain JS rows so the tests can compute
 * the expected member set of any condition independently of the SQL compiler.
 */
export const SEG_NOW = new Date('2026-11-21T04:00:00.000Z');
const DAY = 86_400_000;

export interface RowMember {
  id: number;
  memberNo: string;
  name: string;
  phone: string;
  gender: 'male' | 'female' | 'unknown';
  birthday: string | null; // YYYY-MM-DD
  level: number;
  points: number;
  growthValue: number;
  registeredAt: Date;
  sourceChannel: string;
  homeStoreId: number | null;
  status: 'active' | 'frozen' | 'deleted';
  openid: string | null;
}
export interface RowOrder {
  memberId: number;
  paidAt: Date;
  /** cents, to sum exactly in JS */
  cents: number;
}
export interface RowTag {
  memberId: number;
  tag: string;
  source: 'manual' | 'rule' | 'model';
  confidence: number;
}
export interface RowComplaint {
  memberId: number;
  at: Date;
  type: 'complaint' | 'praise';
}
/** Took part in an activity (interaction type activity); some rows carry another type to prove it is checked. */
export interface RowActivity {
  memberId: number;
  at: Date;
  name: string;
  type: 'activity' | 'consultation';
}
export interface SegData {
  stores: { S1: number; S2: number; S3: number };
  members: RowMember[];
  orders: RowOrder[];
  tags: RowTag[];
  interactions: RowComplaint[];
  activities: RowActivity[];
}

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const TAG_NAMES = ['VIP', '高价值', '易流失', '新客'] as const;
const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '赵磊', '周杰', '孙丽', '吴敏', '郑强', 'Zhang Wei', '50%_off'];
const SOURCES = ['store', 'miniprogram', 'wecom'];
export const ACTIVITY_NAMES = ['2026中秋品鉴会', '春茶与点心节', '新品试吃会'] as const;

export async function insertSegData(services: Services, count = 60, seed = 42): Promise<SegData> {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const { sql } = services;
  const storeIds: number[] = [];
  for (const [code, name] of [['S1', '上海一店'], ['S2', '北京二店'], ['S3', '广州三店']] as const) {
    const [r] = await sql.query<any>('INSERT INTO stores (code, name, city) VALUES (?, ?, ?)', [code, name, name.slice(0, 2)]);
    storeIds.push(r.insertId);
  }
  const tagIds = new Map<string, number>();
  for (const t of TAG_NAMES) {
    const [r] = await sql.query<any>("INSERT INTO tags (name, category) VALUES (?, 'value')", [t]);
    tagIds.set(t, r.insertId);
  }
  const members: RowMember[] = [];
  const orders: RowOrder[] = [];
  const tags: RowTag[] = [];
  const interactions: RowComplaint[] = [];
  const activities: RowActivity[] = [];
  // Activities draw from their own generator, so the rest of the data is what it always was.
  const rndA = prng(seed * 7919 + 1);
  for (let i = 1; i <= count; i++) {
    const hasBirthday = rnd() < 0.8;
    const bMonth = 1 + Math.floor(rnd() * 12);
    const m: Omit<RowMember, 'id'> = {
      memberNo: `M${String(i).padStart(8, '0')}`,
      name: pick(NAMES),
      phone: `139${String(10000000 + i).slice(-8)}`,
      gender: pick(['male', 'female', 'unknown'] as const),
      birthday: hasBirthday ? `19${70 + Math.floor(rnd() * 30)}-${String(bMonth).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}` : null,
      level: 1 + Math.floor(rnd() * 5),
      points: Math.floor(rnd() * 5000),
      growthValue: Math.floor(rnd() * 10000),
      // Some exactly at midnight of a day, to test day boundaries.
      registeredAt: new Date(SEG_NOW.getTime() - Math.floor(rnd() * 900) * DAY - (rnd() < 0.3 ? 4 * 3_600_000 : Math.floor(rnd() * DAY))),
      sourceChannel: pick(SOURCES),
      homeStoreId: rnd() < 0.15 ? null : pick(storeIds),
      status: i % 17 === 0 ? 'deleted' : i % 11 === 0 ? 'frozen' : 'active',
      openid: rnd() < 0.5 ? `oid_${i}` : null,
    };
    const [r] = await sql.query<any>(
      `INSERT INTO members (member_no, name, ${PHONE_COLUMNS}, gender, birthday, level, points, growth_value, registered_at, source_channel, home_store_id, status, openid)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [m.memberNo, m.name, ...sealedPhoneValues(m.phone), m.gender, m.birthday, m.level, m.points, m.growthValue, m.registeredAt, m.sourceChannel, m.homeStoreId, m.status, m.openid],
    );
    const row = { ...m, id: r.insertId as number };
    members.push(row);
    const n = Math.floor(rnd() * 7);
    for (let k = 0; k < n; k++) {
      const daysAgo = Math.floor(rnd() * 400);
      // A few orders in the future of NOW (clock injected): never counted.
      const paidAt = new Date(SEG_NOW.getTime() - daysAgo * DAY + (rnd() < 0.05 ? 2 * DAY : -Math.floor(rnd() * 3_600_000)));
      const cents = Math.floor(rnd() * 150000) + (rnd() < 0.3 ? 10 : 0);
      orders.push({ memberId: row.id, paidAt, cents });
    }
    for (const t of TAG_NAMES) {
      if (rnd() < 0.3) tags.push({ memberId: row.id, tag: t, source: pick(['manual', 'rule', 'model'] as const), confidence: Math.round(rnd() * 1000) / 1000 });
    }
    for (const name of ACTIVITY_NAMES) {
      const times = rndA() < 0.35 ? 1 + Math.floor(rndA() * 2) : 0;
      for (let k = 0; k < times; k++) {
        // Within 200 days back, a few in the future of NOW; one in ten logged as a consultation that names the activity.
        const at = new Date(SEG_NOW.getTime() - Math.floor(rndA() * 200) * DAY + (rndA() < 0.05 ? 3 * DAY : -Math.floor(rndA() * DAY)));
        activities.push({ memberId: row.id, at, name, type: rndA() < 0.1 ? 'consultation' : 'activity' });
      }
    }
    if (rnd() < 0.3) interactions.push({ memberId: row.id, at: new Date(SEG_NOW.getTime() - Math.floor(rnd() * 200) * DAY - 3_600_000), type: rnd() < 0.7 ? 'complaint' : 'praise' });
  }
  let seq = 0;
  for (const o of orders) {
    await sql.query(`INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at) VALUES (?, ?, ?, ?, '[]', 'wechat', ?)`, [
      `SO${++seq}`,
      o.memberId,
      storeIds[0],
      (o.cents / 100).toFixed(2),
      o.paidAt,
    ]);
  }
  for (const t of tags) {
    await sql.query('INSERT INTO member_tags (member_id, tag_id, source, confidence) VALUES (?, ?, ?, ?)', [t.memberId, tagIds.get(t.tag), t.source, t.confidence.toFixed(3)]);
  }
  for (const c of interactions) {
    await sql.query("INSERT INTO interactions (member_id, type, channel, content, created_at) VALUES (?, ?, 'call', 'x', ?)", [c.memberId, c.type, c.at]);
  }
  for (const a of activities) {
    await sql.query("INSERT INTO interactions (member_id, type, channel, content, activity, created_at) VALUES (?, ?, 'store', 'x', ?, ?)", [a.memberId, a.type, a.name, a.at]);
  }
  return { stores: { S1: storeIds[0]!, S2: storeIds[1]!, S3: storeIds[2]! }, members, orders, tags, interactions, activities };
}
