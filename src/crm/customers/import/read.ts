import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type ExcelJS from 'exceljs';
import { badRequest, lazyModule } from '../../kernel/index.ts';
import { decodeChunks, encodingOf, type EncodingChoice, type TextEncodingName } from './decode.ts';

/** The spreadsheet library, loaded with the first .xlsx read (src/crm/kernel/lazy-module.ts). */
const excel = lazyModule<typeof ExcelJS>('exceljs');

/** A cell as read: text, or a Date for Excel date cells. */
export type Cell = string | Date | null;
/** One record of the file; `row` is the spreadsheet row number (the header is row 1). */
export interface RawRow {
  row: number;
  cells: Cell[];
}

export type FileFormat = 'csv' | 'xlsx';

export function formatOf(file: string): FileFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  throw badRequest('import_format', `不支持的文件类型「${ext || file}」：请用 .csv 或 .xlsx。`);
}

/** A table file opened for reading: its rows (streamed: a large file never sits in memory whole) and how far they have got. */
export interface TableFile {
  format: FileFormat;
  /** The text encoding a CSV was read with (null for .xlsx, which is always Unicode). */
  encoding: TextEncodingName | null;
  rows: AsyncGenerator<RawRow>;
  /** Share of the file's bytes read so far, 0–1 (for a progress bar). */
  fraction(): number;
}

/** Opens a CSV (encoding detected unless given: UTF-8 with or without BOM, GBK/GB18030, UTF-16) or the first sheet of an .xlsx. */
export async function openTable(file: string, opts: { encoding?: EncodingChoice } = {}): Promise<TableFile> {
  const format = formatOf(file);
  const size = (await stat(file)).size;
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  const fraction = () => (size ? Math.min(stream.bytesRead / size, 1) : 1);
  if (format === 'xlsx') return { format, encoding: null, rows: readXlsx(stream), fraction };
  const encoding = await encodingOf(file, opts.encoding);
  return { format, encoding, rows: readCsv(decodeChunks(stream, encoding)), fraction };
}

/** Rows of a CSV or XLSX file, encoding detected. */
export async function* readRows(file: string, opts: { encoding?: EncodingChoice } = {}): AsyncGenerator<RawRow> {
  yield* (await openTable(file, opts)).rows;
}

/**
 * RFC 4180 CSV from decoded text: quoted fields may hold commas, doubled quotes and line
 * breaks; CRLF or LF. The delimiter is a comma, or a tab when the first line has tabs and no
 * commas (Excel's "Unicode text"). Row numbers count records, so they match the lines when no
 * field spans lines. Blank records are skipped (their numbers still count).
 */
export async function* readCsv(text: AsyncIterable<string>): AsyncGenerator<RawRow> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let row = 0;
  let first = true;
  let sep = ',';
  const finish = (): RawRow | null => {
    record.push(field);
    field = '';
    const r = record;
    record = [];
    row++;
    return r.length === 1 && r[0] === '' ? null : { row, cells: r };
  };
  for await (const chunk of text) {
    let s = chunk;
    if (first) {
      first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      const line = s.split(/\r?\n/, 1)[0] ?? '';
      if (line.includes('\t') && !line.includes(',')) sep = '\t';
    }
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else field += c;
        continue;
      }
      if (c === '"') {
        // "" inside a quoted field is a literal quote; a quote in an unquoted field is kept as is.
        if (afterQuote) field += '"';
        if (afterQuote || field === '') quoted = true;
        else field += c;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (c === sep) {
        record.push(field);
        field = '';
      } else if (c === '\n') {
        const r = finish();
        if (r) yield r;
      } else if (c === '\r') {
        // CR before LF is dropped; a lone CR ends the record too (old Mac exports).
        if (s[i + 1] !== '\n' && i + 1 < s.length) {
          const r = finish();
          if (r) yield r;
        }
      } else field += c;
    }
  }
  if (quoted) throw badRequest('csv_unterminated_quote', `CSV 第 ${row + 1} 行有未闭合的引号。`);
  if (field !== '' || record.length) {
    const r = finish();
    if (r) yield r;
  }
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return null;
  }
  return String(v);
}

/** The first worksheet of an .xlsx, streamed; date-formatted cells come back as Dates. */
export async function* readXlsx(input: string | ReadStream): AsyncGenerator<RawRow> {
  const reader = new (excel().stream.xlsx.WorkbookReader)(typeof input === 'string' ? createReadStream(input) : input, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  for await (const sheet of reader) {
    for await (const r of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (r.values as ExcelJS.CellValue[]) ?? [];
      const cells: Cell[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
      if (cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))) continue;
      yield { row: r.number, cells };
    }
    return;
  }
}
