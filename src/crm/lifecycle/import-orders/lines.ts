import { cellText, normalizeMemberNo, normalizePhone, parseImportDate, type Cell } from '../../customers/index.ts';
import { yuanOf, type OrderInput } from '../intake/schemas.ts';
import type { OrderField } from './columns.ts';

/**
 * One row of an order file, checked cell by cell, and the rows of one order number put
 * together as the OrderInput the intake records (the same body a POS would POST).
 */

export interface LineError {
  field: OrderField | '';
  reason: string;
}

/** The order's fields as one row gives them (undefined: the cell is blank). */
export interface Line {
  row: number;
  orderNo: string;
  head: Partial<{ phone: string; memberNo: string; openid: string; memberName: string; storeId: number; amountCents: number; paidAt: string; payment: string; channel: string }>;
  item?: { name?: string; qty?: number; priceCents?: number; category?: string; sku?: string };
}

export interface LineContext {
  storesByKey: Map<string, number>;
  defaultStoreId?: number;
}

const PAYMENTS: Record<string, string> = { 微信: 'wechat', 微信支付: 'wechat', 支付宝: 'alipay', 现金: 'cash', 银行卡: 'card', 刷卡: 'card', 信用卡: 'card', 储值: 'stored_value', 储值卡: 'stored_value', 会员卡: 'stored_value', 余额: 'stored_value', 云闪付: 'unionpay', 银联: 'unionpay', 美团: 'meituan', 大众点评: 'dianping', 抖音: 'douyin' };
const CHANNELS: Record<string, string> = { 堂食: 'dine-in', 外卖: 'takeaway', 外带: 'takeaway', 打包: 'takeaway', 自提: 'pickup', 小程序: 'mini-program', 线上: 'online', 门店: 'store' };

/** Yuan as cents: "¥1,288.5", "88.50元"; a spreadsheet's float noise (30.000000000000004) is rounded, a real third decimal is not. */
export function centsOfCell(t: string): number | null {
  const s = t.replace(/[¥￥,，\s]|元$/g, '');
  if (!/^\d{1,10}(\.\d+)?$/.test(s)) return null;
  const x = Number(s) * 100;
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-6 ? r : null;
}

/** An instant: ISO 8601 with an offset as given, else China wall-clock time (2026-11-21 12:30, 2026/11/21 12:30:05, an Excel date). */
function paidAtOf(c: Cell): Date | null {
  if (typeof c === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(c.trim())) {
    const d = new Date(c.trim());
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return parseImportDate(c);
}

/** Checks one row; every bad cell is reported. */
export function parseLine(row: number, cells: Partial<Record<OrderField, Cell>>, ctx: LineContext): { ok: true; line: Line } | { ok: false; errors: LineError[] } {
  const errors: LineError[] = [];
  const bad = (field: OrderField, reason: string) => void errors.push({ field, reason });
  const get = (f: OrderField) => cellText(cells[f] ?? null);
  const orderNo = get('order_no');
  if (!orderNo) bad('order_no', '订单号为空');
  else if (!/^[A-Za-z0-9_\-.:]{1,32}$/.test(orderNo)) bad('order_no', `订单号「${orderNo}」只能含字母、数字和 - _ . :，最多 32 位`);
  const head: Line['head'] = {};
  if (get('member_no')) {
    const no = normalizeMemberNo(get('member_no'));
    if (no) head.memberNo = no;
    else bad('member_no', `会员号「${get('member_no')}」无效`);
  } else if (get('phone')) {
    const p = normalizePhone(get('phone'));
    if (p) head.phone = p;
    else bad('phone', `「${get('phone')}」不是有效的大陆手机号`);
  } else if (get('openid')) head.openid = get('openid').slice(0, 64);
  if (get('member_name')) head.memberName = get('member_name').slice(0, 64);
  if (get('store')) {
    const id = ctx.storesByKey.get(get('store').toLowerCase());
    if (id === undefined) bad('store', `门店「${get('store')}」不存在（填门店编码或名称）`);
    else head.storeId = id;
  }
  if (get('amount')) {
    const cents = centsOfCell(get('amount'));
    if (cents === null || cents <= 0) bad('amount', `金额「${get('amount')}」应为大于 0 的金额，最多两位小数`);
    else head.amountCents = cents;
  }
  const paid = cells.paid_at ?? null;
  if (paid !== null && !(typeof paid === 'string' && !paid.trim())) {
    const d = paidAtOf(paid);
    if (!d) bad('paid_at', `支付时间「${get('paid_at')}」不是有效时间（如 2026-11-21 12:30）`);
    else head.paidAt = d.toISOString();
  }
  if (get('payment')) {
    const p = PAYMENTS[get('payment')] ?? get('payment').toLowerCase();
    if (p.length > 16) bad('payment', '支付方式超过 16 个字');
    else head.payment = p;
  }
  if (get('channel')) {
    const c = CHANNELS[get('channel')] ?? get('channel').toLowerCase();
    if (!/^[a-z][a-z0-9_-]{0,15}$/.test(c)) bad('channel', `渠道「${get('channel')}」应为 堂食/外卖/自提/小程序 或英文小写代码`);
    else head.channel = c;
  }
  let item: Line['item'];
  if (get('item') || get('qty') || get('price') || get('sku')) {
    item = {};
    if (get('item').length > 64) bad('item', '商品名超过 64 个字');
    else if (get('item')) item.name = get('item');
    if (get('qty')) {
      const q = Number(get('qty').replace(/,/g, ''));
      if (!(q > 0 && q <= 100_000)) bad('qty', `数量「${get('qty')}」应为大于 0 的数`);
      else item.qty = q;
    }
    if (get('price')) {
      const cents = centsOfCell(get('price'));
      if (cents === null) bad('price', `单价「${get('price')}」应为金额，最多两位小数`);
      else item.priceCents = cents;
    }
    if (get('category')) item.category = get('category').slice(0, 32);
    if (get('sku')) item.sku = get('sku').slice(0, 64);
  }
  return errors.length ? { ok: false, errors } : { ok: true, line: { row, orderNo, head, item } };
}

/** The name of an order's single item when the file lists no items (a POS export of totals only). */
export const WHOLE_ORDER_ITEM = '整单';

/**
 * The rows of one order number → the order. Order fields come from the first row that fills
 * them; another row giving a different value is an error on that row. Without item columns
 * the order is one item, the whole amount; without an amount it is the sum of the items.
 */
export function buildOrder(lines: Line[], o: { defaultStoreId?: number; createMembers: boolean }): { ok: true; input: OrderInput; itemRows: number[] } | { ok: false; errors: (LineError & { row: number })[] } {
  const errors: (LineError & { row: number })[] = [];
  const head: Line['head'] = {};
  const FIELD: Record<keyof Line['head'], OrderField> = { phone: 'phone', memberNo: 'member_no', openid: 'openid', memberName: 'member_name', storeId: 'store', amountCents: 'amount', paidAt: 'paid_at', payment: 'payment', channel: 'channel' };
  for (const l of lines) {
    for (const [k, v] of Object.entries(l.head) as [keyof Line['head'], string | number][]) {
      if (head[k] === undefined) (head as Record<string, unknown>)[k] = v;
      else if (head[k] !== v) errors.push({ row: l.row, field: FIELD[k], reason: `与本单（订单号 ${l.orderNo}）第 ${lines[0]!.row} 行起的值不一致` });
    }
  }
  const first = lines[0]!.row;
  if (head.memberNo === undefined && head.phone === undefined && head.openid === undefined) errors.push({ row: first, field: 'phone', reason: '没有会员（手机号、会员号或 openid）' });
  if (head.paidAt === undefined) errors.push({ row: first, field: 'paid_at', reason: '支付时间为空' });
  const storeId = head.storeId ?? o.defaultStoreId;
  if (storeId === undefined) errors.push({ row: first, field: 'store', reason: '门店为空（或用 --store 指定）' });
  const itemLines = lines.filter((l) => l.item);
  const items: OrderInput['items'] = [];
  const itemRows: number[] = [];
  let sum = 0;
  for (const l of itemLines) {
    const it = l.item!;
    const qty = it.qty ?? 1;
    const priceCents = it.priceCents ?? (itemLines.length === 1 && head.amountCents !== undefined ? Math.round(head.amountCents / qty) : undefined);
    if (!it.name) errors.push({ row: l.row, field: 'item', reason: '商品名为空' });
    if (priceCents === undefined) errors.push({ row: l.row, field: 'price', reason: '多个商品的订单每行须有单价（或只有金额、没有商品）' });
    if (!it.name || priceCents === undefined) continue;
    sum += Math.round(qty * priceCents);
    items.push({ name: it.name, qty, price: yuanOf(priceCents), ...(it.category ? { category: it.category } : {}), ...(it.sku ? { sku: it.sku } : {}) });
    itemRows.push(l.row);
  }
  const amountCents = head.amountCents ?? (itemLines.length ? sum : undefined);
  if (amountCents === undefined || amountCents <= 0) errors.push({ row: first, field: 'amount', reason: '金额为空' });
  if (errors.length) return { ok: false, errors };
  if (!items.length) {
    items.push({ name: WHOLE_ORDER_ITEM, qty: 1, price: yuanOf(amountCents!) });
    itemRows.push(first);
  }
  const member = head.memberNo !== undefined ? { memberNo: head.memberNo } : head.phone !== undefined ? { phone: head.phone } : { openid: head.openid! };
  const create = o.createMembers && head.phone !== undefined && head.memberNo === undefined;
  const input: OrderInput = {
    orderNo: lines[0]!.orderNo,
    ...member,
    ...(create ? { createMember: true, ...(head.memberName ? { memberName: head.memberName } : {}) } : {}),
    storeId: storeId!,
    amount: yuanOf(amountCents!),
    paidAt: head.paidAt!,
    paymentMethod: head.payment ?? 'unknown',
    items,
    ...(head.channel ? { channel: head.channel } : {}),
  };
  return { ok: true, input, itemRows };
}
