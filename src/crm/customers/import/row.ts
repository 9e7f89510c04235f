import { z } from 'zod';
import { chinaDay, dayDate, fromChinaWallClock } from '../../kernel/index.ts';
import { normalizeName, normalizePhone } from '../identifiers.ts';
import { customerNoSchema, emailOrThrow, type Address } from '../member-input.ts';
import { IMPORT_FIELDS, type ImportField } from './columns.ts';
import type { Cell } from './read.ts';

/** What the rows are checked against: the stores and levels that exist, read once per import. */
export interface RowContext {
  storesByKey: Map<string, number>;
  levels: Map<string, number>;
  now: Date;
}

export interface ImportRow {
  phone: string;
  name?: string;
  gender?: 'male' | 'female' | 'unknown';
  birthday?: Date;
  level?: number;
  points?: number;
  storeId?: number;
  registeredAt?: Date;
  source?: string;
  email?: string;
  customerNo?: string;
  remarks?: string;
  /** Names of existing tags, added to the member (never removed by an import). */
  tags?: string[];
  /** One address, added to the member's list unless it is there already. */
  address?: Address;
  /** A KOC's referral code: a new member is recorded as that KOC's referral (loyalty's writeReferral). */
  referralCode?: string;
}

export interface RowError {
  field: ImportField | '';
  reason: string;
}

/** Tags in one cell: separated by commas, semicolons, 、, | or spaces (half- or full-width). */
const TAG_SEP = /[,，;；|、\s]+/;

export const text = (c: Cell): string => (c instanceof Date ? c.toISOString() : (c ?? '').normalize('NFKC').trim());
const blank = (c: Cell) => !(c instanceof Date) && text(c) === '';

const GENDERS: Record<string, 'male' | 'female' | 'unknown'> = { 男: 'male', 女: 'female', male: 'male', female: 'female', m: 'male', f: 'female', 未知: 'unknown', unknown: 'unknown', 保密: 'unknown' };
const SOURCES: Record<string, string> = { 门店: 'store', 线下: 'store', 小程序: 'miniprogram', 企业微信: 'wecom', 企微: 'wecom', 导入: 'import' };

/** YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日, optionally followed by HH:mm[:ss]; a real calendar date. */
const DATE_RE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** A date cell → the instant it names in China time (UTC+8); Excel dates are stored as UTC wall time. */
export function parseDate(c: Cell): Date | null {
  if (c instanceof Date) {
    if (Number.isNaN(c.getTime())) return null;
    return fromChinaWallClock(c);
  }
  const m = DATE_RE.exec(text(c));
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1).map((x) => x ?? undefined) as string[];
  const utc = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== +y! || check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h > 23) return null;
  return fromChinaWallClock(utc);
}

/** A birthday is a calendar date: midnight UTC of the China-time day, as the DATE column stores it. */
const asDay = (d: Date) => dayDate(chinaDay(d));

export function rowSchema(ctx: RowContext) {
  const opt = <T>(fn: (c: Cell, add: (msg: string) => typeof z.NEVER) => T) =>
    z.custom<Cell>().transform((c, zc) => (blank(c) ? undefined : fn(c, (message) => (zc.addIssue({ code: 'custom', message }), z.NEVER))));
  return z.object({
    phone: z.custom<Cell>().transform((c, zc) => {
      if (blank(c)) return (zc.addIssue({ code: 'custom', message: '手机号为空' }), z.NEVER);
      const p = normalizePhone(text(c));
      return p ?? (zc.addIssue({ code: 'custom', message: `「${text(c)}」不是有效的大陆手机号` }), z.NEVER);
    }),
    name: opt((c, bad) => {
      const n = normalizeName(text(c));
      return n.length === 0 ? bad('姓名为空') : n.length > 64 ? bad('姓名超过 64 个字') : n;
    }),
    gender: opt((c, bad) => GENDERS[text(c).toLowerCase()] ?? bad(`性别「${text(c)}」应为 男/女/male/female`)),
    birthday: opt((c, bad) => {
      const d = parseDate(c);
      if (!d) return bad(`生日「${text(c)}」不是有效日期（如 1990-05-01）`);
      if (d > ctx.now || d.getUTCFullYear() < 1900) return bad(`生日「${text(c)}」不在合理范围`);
      return asDay(d);
    }),
    level: opt((c, bad) => ctx.levels.get(text(c).toLowerCase()) ?? bad(`等级「${text(c)}」不存在（可选 ${[...new Set(ctx.levels.values())].join('/')} 或等级名称）`)),
    points: opt((c, bad) => {
      const t = text(c).replace(/,/g, '');
      return /^\d{1,9}$/.test(t) ? Number(t) : bad(`积分「${text(c)}」应为 0–999999999 的整数`);
    }),
    store: opt((c, bad) => ctx.storesByKey.get(text(c).toLowerCase()) ?? bad(`门店「${text(c)}」不存在（填门店编码或名称）`)),
    registered_at: opt((c, bad) => {
      const d = parseDate(c);
      if (!d) return bad(`注册时间「${text(c)}」不是有效日期`);
      if (d > ctx.now) return bad(`注册时间「${text(c)}」在未来`);
      return d;
    }),
    source: opt((c, bad) => {
      const t = text(c);
      const s = SOURCES[t] ?? t.toLowerCase();
      return /^[a-z0-9_]{1,16}$/.test(s) ? s : bad(`来源「${t}」应为 store/miniprogram/wecom 等（最多 16 个字母）`);
    }),
    email: opt((c, bad) => {
      try {
        return emailOrThrow(text(c)) ?? undefined;
      } catch {
        return bad(`「${text(c)}」不是有效的邮箱地址`);
      }
    }),
    customer_no: opt((c, bad) => (customerNoSchema.safeParse(text(c)).success ? text(c) : bad(`客户编号「${text(c)}」只能含字母、数字、- 和 _，最多 32 位`))),
    remarks: opt((c, bad) => (text(c).length <= 1000 ? text(c) : bad('备注超过 1000 个字'))),
    tags: opt((c, bad) => {
      const names = [...new Set(text(c).split(TAG_SEP).filter(Boolean))];
      if (names.some((n) => n.length > 32)) return bad('标签名超过 32 个字');
      return names.length > 20 ? bad('一行最多 20 个标签') : names;
    }),
    address: opt((c, bad) => (text(c).length <= 200 ? text(c) : bad('地址超过 200 个字'))),
    province: opt((c, bad) => (text(c).length <= 32 ? text(c) : bad('省份超过 32 个字'))),
    city: opt((c, bad) => (text(c).length <= 32 ? text(c) : bad('城市超过 32 个字'))),
    district: opt((c, bad) => (text(c).length <= 32 ? text(c) : bad('区县超过 32 个字'))),
    referral_code: opt((c, bad) => (/^[A-Za-z0-9]{1,16}$/.test(text(c)) ? text(c).toUpperCase() : bad(`推荐码「${text(c)}」应为字母和数字（如 K00000123），最多 16 位`))),
  });
}

export type RowSchema = ReturnType<typeof rowSchema>;

/** Checks one row; every bad cell is reported, not only the first. */
export function validateRow(schema: RowSchema, cells: Partial<Record<ImportField, Cell>>): { ok: true; row: ImportRow } | { ok: false; errors: RowError[] } {
  const r = schema.safeParse({ ...Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])), ...cells });
  const errors: RowError[] = r.success ? [] : r.error.issues.map((i) => ({ field: (i.path[0] as ImportField) ?? '', reason: i.message }));
  const d = r.success ? r.data : null;
  // Province, city and district belong to an address: without the detail there is none to add.
  if (d && d.address === undefined && (d.province ?? d.city ?? d.district) !== undefined) errors.push({ field: 'address', reason: '填了省市区但没有详细地址' });
  if (!d || errors.length) return { ok: false, errors };
  const address: Address | undefined = d.address === undefined ? undefined : { type: 'home', province: d.province, city: d.city, district: d.district, detail: d.address, default: false };
  return {
    ok: true,
    row: {
      phone: d.phone,
      name: d.name,
      gender: d.gender,
      birthday: d.birthday,
      level: d.level,
      points: d.points,
      storeId: d.store,
      registeredAt: d.registered_at,
      source: d.source,
      email: d.email,
      customerNo: d.customer_no,
      remarks: d.remarks,
      tags: d.tags,
      address,
      referralCode: d.referral_code,
    },
  };
}
