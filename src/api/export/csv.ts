/**
 * CSV for spreadsheet users (RFC 4180): fields quoted when they hold a comma, quote or line
 * break; a UTF-8 BOM so Excel reads Chinese text; and text cells starting with = + - @ (or a
 * tab / carriage return) prefixed with ' so a spreadsheet never runs them as formulas
 * (OWASP "CSV injection").
 */
export const CSV_BOM = '\uFEFF';

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/**
 * Streams rows as CSV. The first row is read before the response starts, so a refusal raised by
 * the row source (permission, bad field) is still a proper 4xx, not a broken download.
 */
export async function csvStream(header: readonly string[], rows: AsyncIterator<Record<string, string | number | null>>): Promise<ReadableStream<Uint8Array>> {
  const enc = new TextEncoder();
  const first = await rows.next();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(enc.encode(CSV_BOM + csvLine(header)));
      if (!first.done) controller.enqueue(enc.encode(csvLine(header.map((h) => first.value[h]))));
      else controller.close();
    },
    async pull(controller) {
      if (first.done) return;
      // Batch lines per pull: one enqueue per row would make a million-row export crawl.
      let chunk = '';
      for (let i = 0; i < 500; i++) {
        const next = await rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(enc.encode(chunk));
          controller.close();
          return;
        }
        chunk += csvLine(header.map((h) => next.value[h]));
      }
      controller.enqueue(enc.encode(chunk));
    },
    async cancel() {
      // The client went away: finish the generator so its audit row (rows actually read) is written.
      await rows.return?.(undefined);
    },
  });
}
