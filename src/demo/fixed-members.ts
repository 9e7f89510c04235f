import type { GenderCode } from './names.ts';
import type { Persona } from './personas.ts';
import { TAG_ID } from './tags.ts';

/**
 * Members with fixed, documented identities and rhythms for demos and tests. They are members
 * 1–5 (M00000001…M00000005) of every seed; their profiles and order rhythms do not depend on
 * the seed (their random stream is seeded by a constant), only their dates move with `now`.
 */
export interface FixedMember {
  name: string;
  phone: string;
  gender: GenderCode;
  /** `birthMonth: null` means "the month of now" (a birthday-month demo). */
  birthYear: number;
  birthMonth: number | null;
  birthDay: number;
  homeStoreId: number;
  sourceChannel: 'store' | 'miniprogram' | 'wecom';
  persona: Persona;
  registeredDaysAgo: number;
  /** Orders every gapDays ± jitterDays, from the day firstOrderDaysAgo up to (not on) the day lastBeforeDaysAgo. */
  rhythm: { gapDays: number; jitterDays: number; firstOrderDaysAgo: number; lastBeforeDaysAgo: number };
  meanSpendYuan: number;
  /** Days before now the member dropped out (no order since); null = alive. */
  churnedDaysAgo: number | null;
  tagIds: number[];
  hasOpenid: boolean;
  hasExternalUserId: boolean;
}

export const FIXED_MEMBERS: readonly FixedMember[] = [
  {
    // A loyal weekly regular of 上海徐汇店: the member every demo starts with.
    name: '林晓雯', phone: '13800000001', gender: 'female', birthYear: 1990, birthMonth: 5, birthDay: 18,
    homeStoreId: 1, sourceChannel: 'store', persona: 'regular', registeredDaysAgo: 1000,
    rhythm: { gapDays: 7, jitterDays: 1, firstOrderDaysAgo: 729, lastBeforeDaysAgo: 0 },
    meanSpendYuan: 98, churnedDaysAgo: null, tagIds: [TAG_ID.vip, TAG_ID.spicy], hasOpenid: true, hasExternalUserId: true,
  },
  {
    // A big spender of 上海徐汇店 (business dinners) who stopped coming 120 days ago.
    name: '陈建国', phone: '13800000002', gender: 'male', birthYear: 1978, birthMonth: 11, birthDay: 2,
    homeStoreId: 1, sourceChannel: 'store', persona: 'lapsed', registeredDaysAgo: 900,
    rhythm: { gapDays: 10, jitterDays: 2, firstOrderDaysAgo: 728, lastBeforeDaysAgo: 120 },
    meanSpendYuan: 480, churnedDaysAgo: 120, tagIds: [TAG_ID.vip, TAG_ID.business], hasOpenid: false, hasExternalUserId: true,
  },
  {
    // An occasional family diner of 上海徐汇店, about every two months.
    name: '周雨桐', phone: '13800000003', gender: 'female', birthYear: 1993, birthMonth: 8, birthDay: 26,
    homeStoreId: 1, sourceChannel: 'miniprogram', persona: 'occasional', registeredDaysAgo: 700,
    rhythm: { gapDays: 60, jitterDays: 15, firstOrderDaysAgo: 690, lastBeforeDaysAgo: 0 },
    meanSpendYuan: 160, churnedDaysAgo: null, tagIds: [TAG_ID.family], hasOpenid: true, hasExternalUserId: false,
  },
  {
    // A regular of another store (上海静安店): what store_manager_01 must NOT see.
    name: '吴浩然', phone: '13800000004', gender: 'male', birthYear: 1988, birthMonth: 3, birthDay: 9,
    homeStoreId: 2, sourceChannel: 'wecom', persona: 'regular', registeredDaysAgo: 500,
    rhythm: { gapDays: 10, jitterDays: 2, firstOrderDaysAgo: 495, lastBeforeDaysAgo: 0 },
    meanSpendYuan: 110, churnedDaysAgo: null, tagIds: [TAG_ID.spicy], hasOpenid: false, hasExternalUserId: true,
  },
  {
    // A brand-new member of 杭州西湖店: one order on sign-up day, birthday this month.
    name: '孙佳怡', phone: '13800000005', gender: 'female', birthYear: 2000, birthMonth: null, birthDay: 15,
    homeStoreId: 3, sourceChannel: 'miniprogram', persona: 'new', registeredDaysAgo: 10,
    rhythm: { gapDays: 100, jitterDays: 0, firstOrderDaysAgo: 10, lastBeforeDaysAgo: 0 },
    meanSpendYuan: 90, churnedDaysAgo: null, tagIds: [TAG_ID.birthdayMonth], hasOpenid: true, hasExternalUserId: false,
  },
];

export const RESERVED_NAMES: ReadonlySet<string> = new Set(FIXED_MEMBERS.map((m) => m.name));

/** The random stream of fixed members ignores the seed (their facts are documented). */
export const FIXED_STREAM_SEED = 0x5eed0001;
