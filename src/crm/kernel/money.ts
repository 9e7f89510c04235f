/**
 * Money is DECIMAL(12,2) in the database and a decimal string in code (Prisma Decimal#toFixed
 * or a SQL SUM): formatting works on the digits, never through a JS float, so ¥0.10 + ¥0.20
 * can never print as ¥0.30000000000000004.
 */
export function formatYuan(amount: string | { toFixed(dp: number): string } | null | undefined): string {
  const text = amount == null ? '0' : typeof amount === 'string' ? amount.trim() : amount.toFixed(2);
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new TypeError(`not a decimal amount: ${text}`);
  const [, sign, intRaw = '', fracRaw = ''] = m;
  // Round half up at the cent on the digit string (amounts come with ≤ 2 places; SUM keeps 2).
  let cents = BigInt((intRaw || '0') + (fracRaw + '00').slice(0, 2));
  if ((fracRaw[2] ?? '0') >= '5') cents += 1n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (cents % 100n).toString().padStart(2, '0');
  return `${sign && cents !== 0n ? '-' : ''}¥${whole}.${frac}`;
}
