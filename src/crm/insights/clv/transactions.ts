/**
 * Transaction file readers for the value models: the CDNOW layout used by Fader, Hardie &
 * Lee and a plain `customer_id,date,amount` CSV. Files are read line by line (a 10M-order
 * export never sits in memory as text) and each row is handed to a sink callback instead of
 * being wrapped in an object, so reading stays cheap at scale.
 */
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { parseCompactDay, parseIsoDay } from '../../kernel/index.ts';

export const TransactionFormat = z.enum(['cdnow', 'csv']);
/** `cdnow`: whitespace-separated master id, sample id, YYYYMMDD, CDs, dollars. `csv`: header customer_id,date,amount. */
export type TransactionFormat = z.infer<typeof TransactionFormat>;

/** Receives one transaction: customer, day number (kernel china-calendar.ts), amount. */
export type TransactionSink = (customerId: string, day: number, amount: number) => void;

/** A malformed line; `line` is 1-based so it can be quoted to the user as is. */
export class TransactionParseError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'TransactionParseError';
  }
}

export interface ReadOptions {
  /** Called every `progressEvery` lines (default 1,000,000) with the number of lines read. */
  onProgress?: (lines: number) => void;
  progressEvery?: number;
}

export interface ReadStats {
  lines: number;
  transactions: number;
}

/** Reads a transaction file by path. Rejects with the fs error (ENOENT, EACCES, EISDIR …) when unreadable. */
export async function readTransactionFile(path: string | URL, format: TransactionFormat, sink: TransactionSink, options: ReadOptions = {}): Promise<ReadStats> {
  const stream = createReadStream(path);
  // Surface open errors before readline swallows or delays them.
  await Promise.race([once(stream, 'ready'), once(stream, 'error').then(([e]) => Promise.reject(e as Error))]);
  return readTransactions(stream, format, sink, options);
}

/** Reads transactions from any text stream. Throws TransactionParseError on the first bad line. */
export async function readTransactions(input: Readable, format: TransactionFormat, sink: TransactionSink, options: ReadOptions = {}): Promise<ReadStats> {
  const every = options.progressEvery ?? 1_000_000;
  let streamError: Error | undefined;
  input.on('error', (e: Error) => {
    streamError = e;
  });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let transactions = 0;
  let csvColumns: CsvColumns | undefined;
  try {
    for await (const raw of rl) {
      lineNo++;
      if (options.onProgress && lineNo % every === 0) options.onProgress(lineNo);
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      if (format === 'cdnow') {
        parseCdnowLine(line, lineNo, sink);
      } else if (!csvColumns) {
        csvColumns = parseCsvHeader(line, lineNo);
        continue;
      } else {
        parseCsvLine(line, lineNo, csvColumns, sink);
      }
      transactions++;
    }
  } finally {
    rl.close();
  }
  if (streamError) throw streamError;
  if (format === 'csv' && !csvColumns) throw new TransactionParseError(1, 'empty file: expected the header customer_id,date,amount');
  return { lines: lineNo, transactions };
}

/**
 * CDNOW line: master id, sample id, date YYYYMMDD, number of CDs, dollar value. The customer
 * is the sample id (1..2357 in CDNOW_sample, the ID of the published summaries); leading
 * zeros are dropped so ids read "1", "2", … like those summaries.
 */
function parseCdnowLine(line: string, lineNo: number, sink: TransactionSink): void {
  const f = line.trim().split(/\s+/);
  if (f.length < 5) throw new TransactionParseError(lineNo, `expected 5 whitespace-separated columns (master id, sample id, YYYYMMDD, CDs, dollars), got ${f.length}`);
  const id = f[1] ?? '';
  const day = parseCompactDay(f[2] ?? '');
  if (Number.isNaN(day)) throw new TransactionParseError(lineNo, `bad date "${f[2]}", expected YYYYMMDD`);
  const amount = parseAmount(f[4] ?? '', lineNo);
  sink(/^\d+$/.test(id) ? String(Number(id)) : id, day, amount);
}

interface CsvColumns {
  customer: number;
  date: number;
  amount: number;
}

function parseCsvHeader(line: string, lineNo: number): CsvColumns {
  const names = splitCsv(line).map((h) => h.trim().toLowerCase());
  const customer = names.indexOf('customer_id');
  const date = names.indexOf('date');
  const amount = names.indexOf('amount');
  if (customer < 0 || date < 0 || amount < 0) {
    throw new TransactionParseError(lineNo, `header must name the columns customer_id,date,amount; got "${line}"`);
  }
  return { customer, date, amount };
}

function parseCsvLine(line: string, lineNo: number, cols: CsvColumns, sink: TransactionSink): void {
  const f = splitCsv(line);
  const id = (f[cols.customer] ?? '').trim();
  if (id === '') throw new TransactionParseError(lineNo, 'empty customer_id');
  const dateText = (f[cols.date] ?? '').trim();
  const day = parseIsoDay(dateText);
  if (Number.isNaN(day)) throw new TransactionParseError(lineNo, `bad date "${dateText}", expected YYYY-MM-DD`);
  sink(id, day, parseAmount((f[cols.amount] ?? '').trim(), lineNo));
}

function parseAmount(text: string, lineNo: number): number {
  const v = text === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) throw new TransactionParseError(lineNo, `bad amount "${text}"`);
  return v;
}

/** Splits one CSV line; honours double-quoted fields ("" for a quote) but not line breaks inside them. */
function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
