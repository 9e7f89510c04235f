/** The published CDNOW per-customer summaries (test/fixtures/cdnow/cdnow_customers_summary.csv) as model input. */
import { readFile } from 'node:fs/promises';

export interface CdnowSummaries {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
}

export async function cdnowSummaries(): Promise<CdnowSummaries> {
  const text = await readFile(new URL('../fixtures/cdnow/cdnow_customers_summary.csv', import.meta.url), 'utf8');
  const rows = text.split(/\r?\n/).slice(1).filter((l) => l.trim() !== '').map((l) => l.split(',').map(Number));
  return { x: Float64Array.from(rows, (r) => r[1]!), tx: Float64Array.from(rows, (r) => r[2]!), T: Float64Array.from(rows, (r) => r[3]!) };
}
