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
  const lines: { item: MenuItem; qty: number }[] = [];
  let total = 0;
  const add = (item: MenuItem, qty = 1): void => {
    const line = lines.find((l) => l.item === item);
    if (line) line.qty += qty;
    else lines.push({ item, qty });
    total += item.priceCents * qty;
  };

  if (lunch && target < 7000 && rng.chance(0.5)) add(LUNCH_SET);
  else if (target >= 15000 && target < 22000 && rng.chance(0.2)) add(DUO_SET);
  else add(rng.pick(MENU_BY_CATEGORY.hot));
  while (total < target && lines.length < MAX_LINES) {
    const category = rng.weighted(ADD_CATEGORIES, ADD_WEIGHTS);
    add(rng.pick(MENU_BY_CATEGORY[category]), category === 'drink' ? rng.int(1, 3) : 1);
  }
  // Rice for the table, roughly one bowl per 50 yuan of dishes.
  if (rng.chance(0.7)) add(RICE, Math.max(1, Math.round(total / 5000)));

  let json = '[';
  for (let i = 0; i < lines.length; i++) json += (i ? ',' : '') + linePrefix(lines[i]!.item) + lines[i]!.qty + '}';
  return { itemsJson: json + ']', amountCents: total };
}
