import { chinaDayStartMs, chinaParts, dayNumber, HOUR_MS } from '../crm/kernel/index.ts';

/**
 * The demo's named campaigns (interactions.activity): a small yearly calendar, instantiated for
 * every year the history covers and named with the year ("2026中秋品鉴会"), so segments can ask
 * "joined activity X" and the names stay right whatever `now` is. Dates are fixed Gregorian days
 * (the real Mid-Autumn festival moves; a demo only needs a plausible, stable date).
 */

export interface Campaign {
  name: string;
  /** 18:00 China time on the campaign day. */
  atMs: number;
  /** Held in store (visit) or online (the member day runs in the mini-program). */
  channel: 'store' | 'online';
}

const YEARLY: readonly { suffix: string; month: number; day: number; channel: Campaign['channel'] }[] = [
  { suffix: '春季新品品鉴会', month: 3, day: 20, channel: 'store' },
  { suffix: '周年庆', month: 5, day: 18, channel: 'store' },
  { suffix: '夏日小龙虾节', month: 7, day: 15, channel: 'store' },
  { suffix: '中秋品鉴会', month: 9, day: 20, channel: 'store' },
  { suffix: '双十一会员日', month: 11, day: 11, channel: 'online' },
  { suffix: '年终答谢宴', month: 12, day: 20, channel: 'store' },
];

/** Campaigns held in [fromMs, toMs), oldest first. */
export function campaignsBetween(fromMs: number, toMs: number): Campaign[] {
  const out: Campaign[] = [];
  for (let year = chinaParts(fromMs).year; year <= chinaParts(toMs).year; year++) {
    for (const c of YEARLY) {
      const day = dayNumber(year, c.month, c.day);
      const atMs = chinaDayStartMs(day) + 18 * HOUR_MS;
      if (atMs >= fromMs && atMs < toMs) out.push({ name: `${year}${c.suffix}`, atMs, channel: c.channel });
    }
  }
  return out;
}
