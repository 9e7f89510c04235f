import { open } from 'node:fs/promises';
import { badRequest } from '../../kernel/index.ts';

/**
 * Text encodings of CSV files as Chinese spreadsheets and POS systems write them: UTF-8 with
 * or without BOM (WPS, Numbers, most POS exports), GBK/GB18030 (Excel "CSV" on a Chinese
 * Windows), UTF-16 with BOM (Excel "Unicode text"). Decoded by Node's own TextDecoder (full
 * ICU: 'gb18030' also reads GBK, its subset), so no extra package is needed.
 */

/** What a caller may ask for (`--encoding`); `auto` detects. */
export const ENCODING_CHOICES = ['auto', 'utf-8', 'gbk', 'gb18030', 'utf-16le', 'utf-16be'] as const;
export type EncodingChoice = (typeof ENCODING_CHOICES)[number];
/** The encoding a file was read with. */
export type TextEncodingName = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** Bytes after the first non-ASCII byte that decide between UTF-8 and GB18030. */
const WINDOW = 64 * 1024;
/** How far into a file to look for a first non-ASCII byte (an all-ASCII head of a big file). */
const SCAN_LIMIT = 16 * 1024 * 1024;

const isValidUtf8 = (bytes: Uint8Array): boolean => {
  try {
    // stream: true — a sequence cut at the end of the window is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
};

/**
 * The encoding of a text file from its bytes: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise the
 * first stretch of non-ASCII bytes (up to 64 KiB from the first one) is checked as UTF-8 — valid
 * → UTF-8, else GB18030. Chinese text in GBK is practically never valid UTF-8 beyond a character
 * or two, and a header row of Chinese column names is enough to decide. An all-ASCII file is UTF-8.
 */
export async function detectEncoding(file: string): Promise<TextEncodingName> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(WINDOW);
    const { bytesRead } = await fh.read(buf, 0, WINDOW, 0);
    const head = buf.subarray(0, bytesRead);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
    if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
    if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
    let pos = 0;
    let chunk = head;
    while (chunk.length) {
      const i = chunk.findIndex((b) => b >= 0x80);
      if (i >= 0) {
        const start = pos + i;
        const win = Buffer.alloc(WINDOW);
        const r = await fh.read(win, 0, WINDOW, start);
        return isValidUtf8(win.subarray(0, r.bytesRead)) ? 'utf-8' : 'gb18030';
      }
      pos += chunk.length;
      if (pos >= SCAN_LIMIT) break;
      const r = await fh.read(buf, 0, WINDOW, pos);
      chunk = buf.subarray(0, r.bytesRead);
    }
    return 'utf-8';
  } finally {
    await fh.close();
  }
}

/** The encoding to read `file` with: the caller's choice, or detected. */
export async function encodingOf(file: string, choice: EncodingChoice = 'auto'): Promise<TextEncodingName> {
  if (choice === 'auto') return detectEncoding(file);
  if (choice === 'gbk') return 'gb18030';
  if (!ENCODING_CHOICES.includes(choice)) throw badRequest('import_format', `不支持的编码「${choice}」（可选 ${ENCODING_CHOICES.join(', ')}）`);
  return choice;
}

/** Decodes byte chunks to text chunks; a character split between chunks is kept whole, a leading BOM dropped. */
export async function* decodeChunks(chunks: AsyncIterable<Buffer>, encoding: TextEncodingName): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const s = decoder.decode(chunk, { stream: true });
    if (s) yield s;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
