import type { ImportProgress } from '../crm/customers/index.ts';

const WIDTH = 24;

/**
 * Progress of a file import on stderr: on a terminal a bar redrawn in place (share of the file
 * read, rows, rate), twice a second; otherwise (a log, a cron job) one plain line every five
 * seconds and a last one at the end.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (p: ImportProgress) => void {
  const tty = Boolean(stream.isTTY);
  let lastPrint = 0;
  return (p) => {
    const now = Date.now();
    if (!p.done && now - lastPrint < (tty ? 500 : 5_000)) return;
    lastPrint = now;
    const secs = Math.max(p.elapsedMs / 1000, 0.001);
    const counts = `rows read ${p.rowsRead}, imported ${p.imported}, rejected ${p.rejected}, ${Math.round(p.rowsRead / secs)} rows/s, ${secs.toFixed(1)} s`;
    if (!tty) {
      stream.write(`${Math.floor(p.fraction * 100)}% ${counts}\n`);
      return;
    }
    const filled = Math.round(p.fraction * WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(p.fraction * 100)).padStart(3)}%`;
    stream.write(`\r\x1b[K${bar} ${counts}${p.done ? '\n' : ''}`);
  };
}
