import { centsToDecimal } from './money.ts';
import { MENU_BY_CATEGORY, type MenuCategory, type MenuItem } from './menu.ts';
import type { Rng } from './random.ts';

/**
 * What a member orders: lines drawn from the menu until the basket reaches a target drawn
 * around the member's own mean spend (Gamma, as the Gamma-Gamma spend model assumes). The
 * amount is the exact integer-cent sum of the lines, so items and amount always agree.
 */

export interface Basket {
  /** JSON array of {sku, name, price, qty}, price a 2-decimal string. */
  itemsJson: string;
  amountCents: number;
}

// Serialised once: ten million orders must not re-stringify the same menu entries.
const LINE_PREFIX = new Map<string, string>();
function linePrefix(item: MenuItem): string {
  let s = LINE_PREFIX.get(item.sku);
  if (s === undefined) {
    s = `{"sku":${JSON.stringify(item.sku)},"name":${JSON.stringify(item.name)},"price":"${centsToDecimal(item.priceCents)}","qty":`;
    LINE_PREFIX.set(item.sku, s);
  }
  return s;
}

const ADD_CATEGORIES: readonly MenuCategory[] = ['hot', 'cold', 'staple', 'drink', 'dessert'];
const ADD_WEIGHTS = [0.42, 0.2, 0.1, 0.18, 0.1];
const MAX_LINES = 12;
const RICE = MENU_BY_CATEGORY.staple[0]!;
const LUNCH_SET = MENU_BY_CATEGORY.set[0]!;
const DUO_SET = MENU_BY_CATEGORY.set[1]!;

export function drawBasket(rng: Rng, meanSpendCents: number, lunch: boolean): Basket {
  const target = rng.gammaMean(meanSpendCents, 6) * rng.range(0.85, 1);
  // Parallel arrays, no per-call closures: this runs once per order, ten million times.
  const items: MenuItem[] = [];
  const qtys: number[] = [];
  let total = 0;
  let first: MenuItem;
  if (lunch && target < 7000 && rng.chance(0.5)) first = LUNCH_SET;
  else if (target >= 15000 && target < 22000 && rng.chance(0.2)) first = DUO_SET;
  else first = rng.pick(MENU_BY_CATEGORY.hot);
  total += addLine(items, qtys, first, 1);
  while (total < target && items.length < MAX_LINES) {
    const category = rng.weighted(ADD_CATEGORIES, ADD_WEIGHTS);
    total += addLine(items, qtys, rng.pick(MENU_BY_CATEGORY[category]), category === 'drink' ? rng.int(1, 3) : 1);
  }
  // Rice for the table, roughly one bowl per 50 yuan of dishes.
  if (rng.chance(0.7)) total += addLine(items, qtys, RICE, Math.max(1, Math.round(total / 5000)));

  let json = '[';
  for (let i = 0; i < items.length; i++) json += (i ? ',' : '') + linePrefix(items[i]!) + qtys[i] + '}';
  return { itemsJson: json + ']', amountCents: total };
}

/** Adds qty of an item (merging with an existing line); returns the cents added. */
function addLine(items: MenuItem[], qtys: number[], item: MenuItem, qty: number): number {
  const i = items.indexOf(item);
  if (i >= 0) qtys[i]! += qty;
  else {
    items.push(item);
    qtys.push(qty);
  }
  return item.priceCents * qty;
}
