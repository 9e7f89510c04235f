/** Stores are in mainland China: dates shown to staff are Beijing dates, whatever the server's zone. */
const BEIJING = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** 2026-11-21 (Beijing date). */
export function formatDate(d: Date): string {
  return BEIJING.format(d);
}

/** Whole days elapsed from `from` to `to` (floor), the same as SQL TIMESTAMPDIFF(DAY, from, to). */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}
