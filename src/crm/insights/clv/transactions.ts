/**
 * Transaction file readers for the value models: the CDNOW sample used by Fader, Hardie &
 * Lee, the full CDNOW release, and a CSV whose header names the customer, date and amount
 * columns. (The project's own orders are read from the database by sales' order-transactions.ts
 * into the same sink.) Files are read line by line (a 10M-order
 * export never sits in memory as text) and each row is handed to a sink callback instead of
 * being wrapped in an object, so reading stays cheap at scale.
 */
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { parseCompactDay, parseIsoDay } from '../../kernel/index.ts';

export const TransactionFormat = z.enum(['cdnow', 'cdnow-full', 'csv', 'auto']);
/**
 * `cdnow`: the CDNOW sample, whitespace-separated master id, sample id, YYYYMMDD, CDs, dollars.
 * `cdnow-full`: the full CDNOW release, customer id, YYYYMMDD, CDs, dollars (whitespace or
 * commas), with or without a header line. `csv`: a header line; the customer, date and amount
 * columns are customer_id,date,amount unless `columns` names others. `auto`: one of the three,
 * told from the first line (formatOf).
 */
export type TransactionFormat = z.infer<typeof TransactionFormat>;

/** Header names of the CSV columns holding the customer, the date and the amount. */
export interface CsvColumnNames {
  customer: string;
  date: string;
  amount: string;
}

export const DEFAULT_CSV_COLUMNS: CsvColumnNames = { customer: 'customer_id', date: 'date', amount: 'amount' };

/** Receives one transaction: customer, day number (kernel china-calendar.ts), amount. */
export type TransactionSink = (customerId: string, day: number, amount: number) => void;

/**
 * A malformed line; `line` is 1-based so it can be quoted to the user as is, `column` (1-based,
 * with its name) says which field was wrong when one was.
 */
export class TransactionParseError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
    readonly column?: { index: number; name: string },
  ) {
    super(`line ${line}${column ? `, column ${column.index} (${column.name})` : ''}: ${reason}`);
    this.name = 'TransactionParseError';
  }
}

export interface ReadOptions {
  /** CSV only: which header names hold the customer, date and amount (default customer_id, date, amount). */
  columns?: Partial<CsvColumnNames>;
  /** Called every `progressEvery` lines (default 1,000,000) with the number of lines read. */
  onProgress?: (lines: number) => void;
  progressEvery?: number;
}

export interface ReadStats {
  lines: number;
  transactions: number;
  /** The layout read (what `auto` resolved to). */
  format: Exclude<TransactionFormat, 'auto'>;
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
  let resolved: Exclude<TransactionFormat, 'auto'> | undefined = format === 'auto' ? undefined : format;
  let csvColumns: CsvColumns | undefined;
  let firstDataLine = true;
  try {
    for await (const raw of rl) {
      lineNo++;
      if (options.onProgress && lineNo % every === 0) options.onProgress(lineNo);
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      resolved ??= formatOf(line, lineNo, { ...DEFAULT_CSV_COLUMNS, ...options.columns });
      if (resolved === 'cdnow') {
        parseCdnowLine(line, lineNo, sink);
      } else if (resolved === 'cdnow-full') {
        // The release as published has no header; copies converted to CSV often gain one.
        const first = firstDataLine;
        firstDataLine = false;
        if (first && isCdnowFullHeader(line)) continue;
        parseCdnowFullLine(line, lineNo, sink);
      } else if (!csvColumns) {
        csvColumns = parseCsvHeader(line, lineNo, { ...DEFAULT_CSV_COLUMNS, ...options.columns });
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
  if (resolved === undefined) throw new TransactionParseError(1, 'empty file: no transactions');
  if (resolved === 'csv' && !csvColumns) throw new TransactionParseError(1, 'empty file: expected a header line naming the customer, date and amount columns');
  return { lines: lineNo, transactions, format: resolved };
}

/**
 * `auto`: a first line naming the CSV columns (customer_id, date, amount or the mapped names)
 * is a CSV header; otherwise 5 whitespace-separated fields are the CDNOW sample and 4 fields
 * (whitespace or commas, a header or not) the full release; anything else is refused with
 * what was seen.
 */
function formatOf(line: string, lineNo: number, names: CsvColumnNames): Exclude<TransactionFormat, 'auto'> {
  const header = splitCsv(line).map((h) => h.trim().toLowerCase());
  if ([names.customer, names.date, names.amount].every((n) => header.includes(n.trim().toLowerCase()))) return 'csv';
  const f = fields(line);
  if (f.length === 5) return 'cdnow';
  if (f.length === 4) return 'cdnow-full';
  throw new TransactionParseError(lineNo, `cannot tell the format from the first line (${f.length} fields): expected the CDNOW sample (5 columns), the full CDNOW release (4 columns) or a CSV header naming the ${names.customer}, ${names.date} and ${names.amount} columns`);
}

const NUMBER = /^-?\d+(\.\d+)?$/;

function fields(line: string): string[] {
  return line.trim().split(/[\s,]+/);
}

/** A first line of 4 fields whose date field is not 8 digits is the header of the full release. */
function isCdnowFullHeader(line: string): boolean {
  const f = fields(line);
  return f.length === 4 && !/^\d{8}$/.test(f[1] ?? '') && !NUMBER.test(f[3] ?? '');
}

const SAMPLE_COLUMNS = ['master id', 'sample id', 'date', 'CDs', 'dollars'];
const FULL_COLUMNS = ['customer id', 'date', 'CDs', 'dollars'];

/**
 * CDNOW sample line: master id, sample id, date YYYYMMDD, number of CDs, dollar value. The
 * customer is the sample id (1..2357 in CDNOW_sample, the ID of the published summaries);
 * leading zeros are dropped so ids read "1", "2", … like those summaries.
 */
function parseCdnowLine(line: string, lineNo: number, sink: TransactionSink): void {
  const f = line.trim().split(/\s+/);
  if (f.length !== 5) {
    const hint = f.length === 4 ? ' (4 columns is the full CDNOW release: --format cdnow-full)' : '';
    throw new TransactionParseError(lineNo, `expected 5 whitespace-separated columns (master id, sample id, YYYYMMDD, CDs, dollars), got ${f.length}${hint}`);
  }
  const id = f[1] ?? '';
  const day = parseCompactDay(f[2] ?? '');
  if (Number.isNaN(day)) throw new TransactionParseError(lineNo, `bad date "${f[2]}", expected YYYYMMDD`, { index: 3, name: SAMPLE_COLUMNS[2]! });
  const amount = parseAmount(f[4] ?? '', lineNo, { index: 5, name: SAMPLE_COLUMNS[4]! });
  sink(/^\d+$/.test(id) ? String(Number(id)) : id, day, amount);
}

/** Full CDNOW release line: customer id, date YYYYMMDD, CDs, dollars; ids lose leading zeros as above. */
function parseCdnowFullLine(line: string, lineNo: number, sink: TransactionSink): void {
  const f = fields(line);
  if (f.length !== 4) {
    const hint = f.length === 5 ? ' (5 columns is the CDNOW sample: --format cdnow)' : '';
    throw new TransactionParseError(lineNo, `expected 4 columns (customer id, YYYYMMDD, CDs, dollars), got ${f.length}${hint}`);
  }
  const id = f[0] ?? '';
  const day = parseCompactDay(f[1] ?? '');
  if (Number.isNaN(day)) throw new TransactionParseError(lineNo, `bad date "${f[1]}", expected YYYYMMDD`, { index: 2, name: FULL_COLUMNS[1]! });
  const amount = parseAmount(f[3] ?? '', lineNo, { index: 4, name: FULL_COLUMNS[3]! });
  sink(/^\d+$/.test(id) ? String(Number(id)) : id, day, amount);
}

interface CsvColumns {
  customer: number;
  date: number;
  amount: number;
  names: CsvColumnNames;
}

function parseCsvHeader(line: string, lineNo: number, names: CsvColumnNames): CsvColumns {
  const header = splitCsv(line).map((h) => h.trim().toLowerCase());
  const find = (role: keyof CsvColumnNames) => header.indexOf(names[role].trim().toLowerCase());
  const cols = { customer: find('customer'), date: find('date'), amount: find('amount'), names };
  const missing = (['customer', 'date', 'amount'] as const).filter((k) => cols[k] < 0).map((k) => `${k} column "${names[k]}"`);
  if (missing.length) {
    throw new TransactionParseError(lineNo, `the header has no ${missing.join(', no ')}; got "${line}" (map yours with --customer-column, --date-column, --amount-column)`);
  }
  return cols;
}

function parseCsvLine(line: string, lineNo: number, cols: CsvColumns, sink: TransactionSink): void {
  const f = splitCsv(line);
  const col = (role: keyof CsvColumnNames) => ({ index: cols[role] + 1, name: cols.names[role] });
  const id = (f[cols.customer] ?? '').trim();
  if (id === '') throw new TransactionParseError(lineNo, 'empty customer id', col('customer'));
  const dateText = (f[cols.date] ?? '').trim();
  const day = parseCsvDay(dateText);
  if (Number.isNaN(day)) throw new TransactionParseError(lineNo, `bad date "${dateText}", expected YYYY-MM-DD (a time after it, YYYY/MM/DD or YYYYMMDD also read)`, col('date'));
  sink(id, day, parseAmount((f[cols.amount] ?? '').trim(), lineNo, col('amount')));
}

/** YYYY-MM-DD, optionally followed by a time (exports of order tables), YYYY/MM/DD or YYYYMMDD. */
function parseCsvDay(text: string): number {
  if (/^\d{8}$/.test(text)) return parseCompactDay(text);
  const date = text.slice(0, 10).replace(/\//g, '-');
  if (text.length > 10 && !/^[ T]\d{1,2}:\d{2}/.test(text.slice(10))) return NaN;
  return parseIsoDay(date);
}

function parseAmount(text: string, lineNo: number, column: { index: number; name: string }): number {
  const v = text === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) throw new TransactionParseError(lineNo, `bad amount "${text}", expected a number`, column);
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
