/**
 * A small menu of a Sichuan-style casual restaurant chain: order items are drawn from it, and
 * an order's amount is exactly the sum of its lines (prices in integer cents).
 */

export type MenuCategory = 'hot' | 'cold' | 'staple' | 'drink' | 'dessert' | 'set';

export interface MenuItem {
  sku: string;
  name: string;
  category: MenuCategory;
  priceCents: number;
}

export const MENU: readonly MenuItem[] = [
  { sku: 'HOT01', name: '宫保鸡丁', category: 'hot', priceCents: 3800 },
  { sku: 'HOT02', name: '水煮鱼', category: 'hot', priceCents: 6800 },
  { sku: 'HOT03', name: '麻婆豆腐', category: 'hot', priceCents: 2200 },
  { sku: 'HOT04', name: '回锅肉', category: 'hot', priceCents: 4200 },
  { sku: 'HOT05', name: '鱼香肉丝', category: 'hot', priceCents: 3600 },
  { sku: 'HOT06', name: '辣子鸡', category: 'hot', priceCents: 5800 },
  { sku: 'HOT07', name: '酸菜鱼', category: 'hot', priceCents: 7200 },
  { sku: 'HOT08', name: '干煸四季豆', category: 'hot', priceCents: 2800 },
  { sku: 'HOT09', name: '毛血旺', category: 'hot', priceCents: 6600 },
  { sku: 'HOT10', name: '清炒时蔬', category: 'hot', priceCents: 2200 },
  { sku: 'COLD01', name: '口水鸡', category: 'cold', priceCents: 3200 },
  { sku: 'COLD02', name: '夫妻肺片', category: 'cold', priceCents: 3600 },
  { sku: 'COLD03', name: '拍黄瓜', category: 'cold', priceCents: 1200 },
  { sku: 'COLD04', name: '凉拌木耳', category: 'cold', priceCents: 1600 },
  { sku: 'STA01', name: '米饭', category: 'staple', priceCents: 300 },
  { sku: 'STA02', name: '担担面', category: 'staple', priceCents: 1800 },
  { sku: 'STA03', name: '蛋炒饭', category: 'staple', priceCents: 1800 },
  { sku: 'DRK01', name: '酸梅汤', category: 'drink', priceCents: 800 },
  { sku: 'DRK02', name: '柠檬茶', category: 'drink', priceCents: 1200 },
  { sku: 'DRK03', name: '王老吉', category: 'drink', priceCents: 600 },
  { sku: 'DRK04', name: '青岛啤酒', category: 'drink', priceCents: 1000 },
  { sku: 'DES01', name: '冰粉', category: 'dessert', priceCents: 1000 },
  { sku: 'DES02', name: '红糖糍粑', category: 'dessert', priceCents: 1600 },
  { sku: 'SET01', name: '单人午市套餐', category: 'set', priceCents: 4200 },
  { sku: 'SET02', name: '双人套餐', category: 'set', priceCents: 16800 },
];

export const MENU_BY_CATEGORY: Readonly<Record<MenuCategory, readonly MenuItem[]>> = {
  hot: MENU.filter((m) => m.category === 'hot'),
  cold: MENU.filter((m) => m.category === 'cold'),
  staple: MENU.filter((m) => m.category === 'staple'),
  drink: MENU.filter((m) => m.category === 'drink'),
  dessert: MENU.filter((m) => m.category === 'dessert'),
  set: MENU.filter((m) => m.category === 'set'),
};

export const PAYMENT_METHODS = ['wechat', 'alipay', 'card', 'cash', 'member_balance'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** Rough mainland restaurant payment mix. */
export const PAYMENT_WEIGHTS = [0.55, 0.25, 0.07, 0.04, 0.09] as const;

/** Store hours, China time: open 10:00, last order 21:30 (close 22:00). */
export const OPEN_MINUTE = 10 * 60;
export const LAST_ORDER_MINUTE = 21 * 60 + 30;
