import { drawBasket } from './baskets.ts';
import { campaignsBetween } from './campaigns.ts';
import { chinaDay, chinaDayStartMs, chinaMinuteOfDay, chinaParts, DAY_MS } from '../crm/kernel/index.ts';
import { FIXED_MEMBERS, FIXED_STREAM_SEED, RESERVED_NAMES, type FixedMember } from './fixed-members.ts';
import { DEMO_STORES, STORE_WEIGHTS, storeManagerOf } from './identities.ts';
import { PAYMENT_METHODS, PAYMENT_WEIGHTS, type PaymentMethod } from './menu.ts';
import { centsToDecimal } from './money.ts';
import { drawName, type GenderCode } from './names.ts';
import { drawLatent, drawPersona, PERSONA_SPECS, type Latent, type Persona } from './personas.ts';
import { phoneFor } from './phones.ts';
import { mealMinute, simulatePurchases, steadySchedule } from './purchases.ts';
import { Rng } from './random.ts';
import { TAG_ID } from './tags.ts';

/**
 * One member, generated from nothing but (seed, index, now): profile, latent truth, orders
 * and manual tags. Independence from every other member is what lets the seeder stream a
 * million of them in chunks with flat memory.
 */

export interface GenContext {
  seed: number;
  nowMs: number;
  /** China-local day index of now. */
  today: number;
  /** First instant of the recorded order history (two years before today). */
  windowStartMs: number;
  /** Campaign instants over the three years a member can have been registered (coupons bring the gone back). */
  campaignsMs: number[];
}

export const HISTORY_DAYS = 730;

export function makeContext(seed: number, now: Date): GenContext {
  const nowMs = now.getTime();
  const today = chinaDay(nowMs);
  return { seed, nowMs, today, windowStartMs: chinaDayStartMs(today - HISTORY_DAYS), campaignsMs: campaignsBetween(chinaDayStartMs(today - 1100), nowMs).map((c) => c.atMs) };
}

export interface OrderDraft {
  storeId: number;
  paidAtMs: number;
  amountCents: number;
  itemsJson: string;
  paymentMethod: PaymentMethod;
}

export interface MemberRow {
  id: number;
  memberNo: string;
  name: string;
  phone: string;
  gender: GenderCode;
  birthday: string | null;
  level: number;
  points: number;
  growthValue: number;
  registeredAtMs: number;
  sourceChannel: string;
  homeStoreId: number;
  openid: string | null;
  externalUserId: string | null;
  updatedAtMs: number;
}

export interface TruthRow {
  persona: Persona;
  alive: boolean;
  churnedAtMs: number | null;
  /** 1 / the member's mean routine gap in days (demo_member_truth.purchase_rate). */
  rate: number;
  /** Base leaving hazard per day before tenure, store, complaint and price effects (demo_member_truth.dropout_prob). */
  dropout: number;
  meanSpendCents: number;
}

export interface TagRow {
  tagId: number;
  createdBy: string;
  createdAtMs: number;
}

export interface GeneratedMember {
  member: MemberRow;
  truth: TruthRow;
  /** Bad experiences the purchase process drew (each raised the member's leaving hazard); service.ts logs them as complaints. */
  complaintsAt: number[];
  orders: OrderDraft[];
  tags: TagRow[];
}

export function memberNo(id: number): string {
  return `M${String(id).padStart(8, '0')}`;
}

// Growth value (whole yuan spent) needed for levels 2–5.
const LEVEL_THRESHOLDS = [600, 2500, 6000, 15000] as const;
export function levelFor(growthValue: number): number {
  let level = 1;
  for (const t of LEVEL_THRESHOLDS) if (growthValue >= t) level++;
  return level;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function randomChars(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ID_CHARS[rng.int(0, 63)];
  return s;
}
// Mini-program openids are 28 characters starting with "o", WeCom external ids 32 starting
// with "wm"; the member index inside makes them unique by construction.
function openidFor(rng: Rng, index: number): string {
  return `o${randomChars(rng, 6)}${index.toString(36).padStart(7, '0')}${randomChars(rng, 14)}`;
}
function externalIdFor(rng: Rng, index: number): string {
  return `wm${randomChars(rng, 8)}${index.toString(36).padStart(7, '0')}${randomChars(rng, 15)}`;
}

function otherStore(rng: Rng, home: number): number {
  const home0 = DEMO_STORES.find((s) => s.id === home)!;
  const others = DEMO_STORES.filter((s) => s.id !== home);
  // Members mostly stray to a store in their own city.
  return rng.weighted(others.map((s) => s.id), others.map((s) => (s.city === home0.city ? 4 : 1)));
}

/** Turns purchase instants into orders: store, basket, payment method. */
function buildOrders(rng: Rng, paidAt: number[], homeStoreId: number, meanSpendCents: number, preferred: PaymentMethod): OrderDraft[] {
  return paidAt.map((paidAtMs) => {
    const lunch = chinaMinuteOfDay(paidAtMs) < 15 * 60;
    const basket = drawBasket(rng, meanSpendCents, lunch);
    return {
      storeId: rng.chance(0.85) ? homeStoreId : otherStore(rng, homeStoreId),
      paidAtMs,
      amountCents: basket.amountCents,
      itemsJson: basket.itemsJson,
      paymentMethod: rng.chance(0.8) ? preferred : rng.weighted(PAYMENT_METHODS, PAYMENT_WEIGHTS),
    };
  });
}

function birthdayString(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function drawBirthday(rng: Rng, ctx: GenContext): string | null {
  if (rng.chance(0.12)) return null;
  const age = Math.min(75, Math.round(18 + rng.gammaMean(16, 2.5)));
  const month = rng.int(1, 12);
  return birthdayString(chinaParts(ctx.nowMs).year - age, month, rng.int(1, DAYS_IN_MONTH[month - 1]!));
}

const SOURCES = ['store', 'miniprogram', 'wecom', 'online', 'import'] as const;
const SOURCE_WEIGHTS = [0.45, 0.25, 0.15, 0.1, 0.05] as const;
// Probability a member bought when they registered: tills sign people up at payment and staff
// add guests on WeCom at the table; mini-program, online and imported sign-ups happen away
// from the store, so their first order (if any) comes from the purchase process.
const FIRST_AT_SIGNUP: Record<(typeof SOURCES)[number], number> = { store: 0.9, wecom: 0.6, miniprogram: 0, online: 0, import: 0 };

function finish(
  rng: Rng,
  ctx: GenContext,
  base: Omit<MemberRow, 'level' | 'points' | 'growthValue' | 'updatedAtMs'>,
  orders: OrderDraft[],
  truth: TruthRow,
  tags: TagRow[],
): GeneratedMember {
  let spent = 0;
  for (const o of orders) spent += o.amountCents;
  const growthValue = Math.floor(spent / 100);
  // Members redeem part of what they earn (1 point per yuan).
  const points = growthValue - Math.floor(growthValue * rng.range(0, 0.7));
  const lastOrder = orders.length ? orders[orders.length - 1]!.paidAtMs : 0;
  return {
    member: { ...base, level: levelFor(growthValue), points, growthValue, updatedAtMs: Math.max(base.registeredAtMs, lastOrder) },
    truth,
    complaintsAt: [],
    orders,
    tags,
  };
}

function generateFixed(index: number, fixed: FixedMember, ctx: GenContext): GeneratedMember {
  const rng = new Rng(FIXED_STREAM_SEED, index);
  const regDay = ctx.today - fixed.registeredDaysAgo;
  const registeredAtMs = chinaDayStartMs(regDay) + 9.5 * 3_600_000 + rng.int(0, 20 * 60_000);
  const r = fixed.rhythm;
  const paidAt = steadySchedule(rng, ctx.today - r.firstOrderDaysAgo, ctx.today - r.lastBeforeDaysAgo, r.gapDays, r.jitterDays, ctx.nowMs);
  const meanSpendCents = fixed.meanSpendYuan * 100;
  const orders = buildOrders(rng, paidAt, fixed.homeStoreId, meanSpendCents, 'wechat');
  const month = fixed.birthMonth ?? chinaParts(ctx.nowMs).month;
  const truth: TruthRow = {
    persona: fixed.persona,
    alive: fixed.churnedDaysAgo === null,
    churnedAtMs: fixed.churnedDaysAgo === null ? null : chinaDayStartMs(ctx.today - fixed.churnedDaysAgo),
    rate: 1 / r.gapDays,
    dropout: 0,
    meanSpendCents,
  };
  const tags = fixed.tagIds.map((tagId) => ({ tagId, createdBy: storeManagerOf(fixed.homeStoreId), createdAtMs: registeredAtMs + DAY_MS }));
  return finish(
    rng,
    ctx,
    {
      id: index + 1,
      memberNo: memberNo(index + 1),
      name: fixed.name,
      phone: fixed.phone,
      gender: fixed.gender,
      birthday: birthdayString(fixed.birthYear, month, fixed.birthDay),
      registeredAtMs,
      sourceChannel: fixed.sourceChannel,
      homeStoreId: fixed.homeStoreId,
      openid: fixed.hasOpenid ? openidFor(rng, index) : null,
      externalUserId: fixed.hasExternalUserId ? externalIdFor(rng, index) : null,
    },
    orders,
    truth,
    tags,
  );
}

function drawTags(rng: Rng, ctx: GenContext, m: { level: number; birthday: string | null; meanSpendCents: number; homeStoreId: number; registeredAtMs: number }): TagRow[] {
  const ids: number[] = [];
  if (m.level >= 5 || (m.level === 4 && rng.chance(0.6))) ids.push(TAG_ID.vip);
  if (rng.chance(0.3)) ids.push(TAG_ID.spicy);
  if (rng.chance(m.meanSpendCents >= 20000 ? 0.5 : 0.08)) ids.push(TAG_ID.family);
  if (m.birthday && Number(m.birthday.slice(5, 7)) === chinaParts(ctx.nowMs).month && rng.chance(0.9)) ids.push(TAG_ID.birthdayMonth);
  if (rng.chance(0.03)) ids.push(TAG_ID.complained);
  if (rng.chance(m.meanSpendCents >= 25000 ? 0.3 : 0.02)) ids.push(TAG_ID.business);
  const createdBy = storeManagerOf(m.homeStoreId);
  return ids.map((tagId) => ({ tagId, createdBy, createdAtMs: Math.floor(rng.range(m.registeredAtMs, ctx.nowMs)) }));
}

/** Generates member `index` (0-based; id = index + 1). */
export function generateMember(index: number, ctx: GenContext): GeneratedMember {
  const fixed = FIXED_MEMBERS[index];
  if (fixed) return generateFixed(index, fixed, ctx);

  const rng = new Rng(ctx.seed, index);
  const r = rng.float();
  const gender: GenderCode = r < 0.46 ? 'male' : r < 0.97 ? 'female' : 'unknown';
  const name = drawName(rng, gender, RESERVED_NAMES);
  const birthday = drawBirthday(rng, ctx);
  const persona = drawPersona(rng);
  const latent: Latent = drawLatent(rng, persona);
  const spec = PERSONA_SPECS[persona];

  // More sign-ups lately than three years ago (the programme grows): skew towards recent days.
  const [lo, hi] = spec.registeredDaysAgo;
  const regDaysAgo = lo + Math.floor((hi - lo) * Math.pow(rng.float(), 1.3));
  let source: (typeof SOURCES)[number] = rng.weighted(SOURCES, SOURCE_WEIGHTS);
  // Imports are the legacy member list loaded when the programme started.
  if (source === 'import' && regDaysAgo < HISTORY_DAYS) source = 'store';
  const regDay = ctx.today - regDaysAgo;
  const atStore = source === 'store' || source === 'wecom';
  const regMinute = atStore ? mealMinute(rng) : rng.int(8 * 60, 23 * 60 + 30);
  const registeredAtMs = chinaDayStartMs(regDay) + regMinute * 60_000 + rng.int(0, 59_999);
  const homeStoreId = rng.weighted(DEMO_STORES.map((s) => s.id), STORE_WEIGHTS);

  let forcedChurnMs: number | null = null;
  if (persona === 'lapsed') {
    const from = Math.max(regDay, chinaDay(ctx.windowStartMs)) + 90;
    const to = ctx.today - 60;
    forcedChurnMs = chinaDayStartMs(from <= to ? rng.int(from, to) : to);
  }
  const process = simulatePurchases(rng, {
    latent,
    homeStoreId,
    campaignsMs: ctx.campaignsMs,
    startMs: registeredAtMs,
    firstAtStart: rng.chance(FIRST_AT_SIGNUP[source]),
    forcedChurnMs,
    windowStartMs: ctx.windowStartMs,
    nowMs: ctx.nowMs,
  });
  const preferred = rng.weighted(PAYMENT_METHODS, PAYMENT_WEIGHTS);
  const orders = buildOrders(rng, process.paidAt, homeStoreId, latent.meanSpendCents, preferred);
  const openid = source === 'miniprogram' || rng.chance(0.3) ? openidFor(rng, index) : null;
  const externalUserId = source === 'wecom' || rng.chance(0.2) ? externalIdFor(rng, index) : null;

  const truth: TruthRow = {
    persona,
    alive: process.churnedAtMs === null,
    churnedAtMs: process.churnedAtMs,
    rate: 1 / latent.meanGapDays,
    dropout: latent.hazard,
    meanSpendCents: latent.meanSpendCents,
  };
  const generated = finish(
    rng,
    ctx,
    {
      id: index + 1,
      memberNo: memberNo(index + 1),
      name,
      phone: phoneFor(ctx.seed, index),
      gender,
      birthday,
      registeredAtMs,
      sourceChannel: source,
      homeStoreId,
      openid,
      externalUserId,
    },
    orders,
    truth,
    [],
  );
  generated.complaintsAt = process.complaintsAt;
  generated.tags = drawTags(rng, ctx, { ...generated.member, meanSpendCents: latent.meanSpendCents });
  return generated;
}
