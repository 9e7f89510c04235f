import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** One CSV field: quoted when it holds a comma, quote or line break; formula-looking text gets a leading ' so Excel shows it as text. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: unknown[]) => `${values.map(csvField).join(',')}\r\n`;

/** Writes rows to a UTF-8 CSV with BOM (so Excel opens Chinese text correctly), honouring back-pressure. */
export async function writeCsv(file: string, header: string[], rows: AsyncIterable<unknown[]> | Iterable<unknown[]>): Promise<number> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let n = 0;
  try {
    out.write(`\uFEFF${csvLine(header)}`);
    for await (const r of rows) {
      n++;
      if (!out.write(csvLine(r))) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return n;
}
