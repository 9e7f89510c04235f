import { badRequest } from '../../kernel/index.ts';

/**
 * Column mapping of an import file: which header holds which field, from an explicit
 * `--map field=header,…` first, then known header names in Chinese or English. Shared by the
 * member import (here) and the order import (lifecycle), each with its own fields and aliases.
 */

/** The member fields an import file may carry; `phone` is the key and the only required column. */
export const IMPORT_FIELDS = ['phone', 'name', 'gender', 'birthday', 'level', 'points', 'store', 'registered_at', 'source', 'email', 'customer_no', 'remarks', 'tags', 'address', 'province', 'city', 'district', 'referral_code'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Headers recognised without a --map (compared after trimming, lower-casing and dropping spaces, "_" and "-"). */
export const HEADER_ALIASES: Record<ImportField, string[]> = {
  phone: ['手机号', '手机', '手机号码', '电话', '联系电话', 'phone', 'mobile', 'cellphone'],
  name: ['姓名', '名字', '会员姓名', 'name'],
  gender: ['性别', 'gender', 'sex'],
  birthday: ['生日', '出生日期', 'birthday', 'birthdate', 'dob'],
  level: ['等级', '会员等级', 'level'],
  points: ['积分', '当前积分', 'points'],
  store: ['门店', '所属门店', '门店编码', '门店代码', 'store', 'storecode'],
  registered_at: ['注册时间', '注册日期', '入会时间', 'registeredat', 'registered', 'registertime'],
  source: ['来源', '注册来源', '渠道', 'source', 'sourcechannel', 'channel'],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', 'email', 'e-mail', 'mail'],
  customer_no: ['客户编号', '客户号', '顾客编号', '外部编号', 'customerno', 'customernumber', 'customerid'],
  remarks: ['备注', '说明', 'remarks', 'remark', 'note', 'notes'],
  tags: ['标签', '会员标签', 'tags', 'tag'],
  address: ['地址', '详细地址', '收货地址', '联系地址', 'address', 'addressdetail'],
  province: ['省', '省份', 'province'],
  city: ['市', '城市', 'city'],
  district: ['区', '区县', '区/县', 'district'],
  referral_code: ['推荐码', 'KOC推荐码', '推荐人推荐码', 'KOC', 'referralcode', 'referral', 'koccode'],
};

export const normalizeHeader = (h: string) => h.replace(/^\uFEFF/, '').normalize('NFKC').trim().toLowerCase().replace(/[\s_\-]/g, '');

/** `phone=手机号,name=姓名` → { phone: '手机号', name: '姓名' }; a bad field name or missing "=" is a usage error. */
export function parseFieldMap<F extends string>(fields: readonly F[], spec: string): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw badRequest('invalid_map', `--map 的「${part}」应写成 字段=表头，如 ${fields[0]}=手机号`);
    const field = part.slice(0, eq).trim() as F;
    if (!fields.includes(field)) throw badRequest('invalid_map', `--map 里没有字段「${field}」（可选 ${fields.join(', ')}）`);
    out[field] = part.slice(eq + 1).trim();
  }
  return out;
}

/** Column index of each field: the explicit mapping first, then the known aliases. Unused headers are returned as ignored. */
export function resolveFieldColumns<F extends string>(
  fields: readonly F[],
  aliases: Record<F, string[]>,
  header: string[],
  map: Partial<Record<F, string>> = {},
): { columns: Partial<Record<F, number>>; ignored: string[] } {
  const normalized = header.map((h) => normalizeHeader(h ?? ''));
  const columns: Partial<Record<F, number>> = {};
  for (const [field, name] of Object.entries(map) as [F, string][]) {
    const idx = normalized.indexOf(normalizeHeader(name));
    if (idx < 0) throw badRequest('import_column_missing', `文件里没有 --map 指定的列「${name}」（表头：${header.join(', ')}）`);
    columns[field] = idx;
  }
  for (const field of fields) {
    if (columns[field] !== undefined) continue;
    const taken = new Set(Object.values(columns));
    const idx = normalized.findIndex((h, i) => !taken.has(i) && aliases[field].some((a) => normalizeHeader(a) === h));
    if (idx >= 0) columns[field] = idx;
  }
  const used = new Set(Object.values(columns));
  return { columns, ignored: header.filter((h, i) => !used.has(i) && normalizeHeader(h ?? '') !== '') };
}

export const parseMap = (spec: string): Partial<Record<ImportField, string>> => parseFieldMap(IMPORT_FIELDS, spec);

/** The member import's columns; the phone column is required. */
export function resolveColumns(header: string[], map: Partial<Record<ImportField, string>> = {}): { columns: Partial<Record<ImportField, number>>; ignored: string[] } {
  const r = resolveFieldColumns(IMPORT_FIELDS, HEADER_ALIASES, header, map);
  if (r.columns.phone === undefined) throw badRequest('import_no_phone_column', `找不到手机号列（表头：${header.join(', ')}）；用 --map phone=<表头> 指定。`);
  return r;
}
