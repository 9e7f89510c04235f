import { badRequest } from '../../kernel/index.ts';
import { parseFieldMap, resolveFieldColumns } from '../../customers/index.ts';

/**
 * The columns of an order file (docs/import-export.md): one row per order, or one row per
 * item with the order's number repeated on adjacent rows. Recognised headers in Chinese or
 * English, or `--map field=header,…`.
 */
export const ORDER_FIELDS = ['order_no', 'phone', 'member_no', 'openid', 'member_name', 'store', 'amount', 'paid_at', 'payment', 'channel', 'item', 'qty', 'price', 'category', 'sku'] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

export const ORDER_ALIASES: Record<OrderField, string[]> = {
  order_no: ['订单号', '订单编号', '单号', '流水号', '小票号', '账单号', 'orderno', 'ordernumber', 'orderid', 'order'],
  phone: ['手机号', '手机', '手机号码', '会员手机', '会员手机号', '电话', '联系电话', 'phone', 'mobile'],
  member_no: ['会员号', '会员编号', '会员卡号', '卡号', 'memberno', 'membernumber', 'cardno'],
  openid: ['openid', '小程序openid'],
  member_name: ['会员姓名', '顾客姓名', '姓名', 'membername', 'customername', 'name'],
  store: ['门店', '门店编码', '门店代码', '门店名称', '店铺', 'store', 'storecode', 'shop'],
  amount: ['实付金额', '实收金额', '支付金额', '订单金额', '金额', '实付', '实收', 'amount', 'total', 'paidamount'],
  paid_at: ['支付时间', '付款时间', '交易时间', '下单时间', '结账时间', '时间', 'paidat', 'paytime', 'time', 'datetime'],
  payment: ['支付方式', '付款方式', '结算方式', 'payment', 'paymentmethod', 'paymethod'],
  channel: ['渠道', '订单渠道', '就餐方式', '订单类型', 'channel', 'ordertype'],
  item: ['商品', '商品名称', '菜品', '菜品名称', '品名', 'item', 'itemname', 'product', 'dish'],
  qty: ['数量', '份数', 'qty', 'quantity'],
  price: ['单价', '价格', 'price', 'unitprice'],
  category: ['分类', '品类', '商品分类', '菜品分类', 'category'],
  sku: ['商品编码', '菜品编码', '条码', 'sku', 'itemcode'],
};

export const parseOrderMap = (spec: string): Partial<Record<OrderField, string>> => parseFieldMap(ORDER_FIELDS, spec);

/** Column of each field; the order number, a member column (phone, member number or openid) and the amount (or item prices) are required, the store unless given for the whole file. */
export function resolveOrderColumns(header: string[], map: Partial<Record<OrderField, string>> = {}, o: { storeGiven: boolean }): { columns: Partial<Record<OrderField, number>>; ignored: string[] } {
  const r = resolveFieldColumns(ORDER_FIELDS, ORDER_ALIASES, header, map);
  const c = r.columns;
  const missing = (what: string, field: string) => badRequest('import_column_missing', `找不到${what}列（表头：${header.join(', ')}）；用 --map ${field}=<表头> 指定。`);
  if (c.order_no === undefined) throw missing('订单号', 'order_no');
  if (c.phone === undefined && c.member_no === undefined && c.openid === undefined) throw missing('会员（手机号、会员号或 openid）', 'phone');
  if (c.amount === undefined && c.price === undefined) throw missing('金额', 'amount');
  if (c.paid_at === undefined) throw missing('支付时间', 'paid_at');
  if (c.store === undefined && !o.storeGiven) throw missing('门店（或用 --store 指定整个文件的门店）', 'store');
  return r;
}
