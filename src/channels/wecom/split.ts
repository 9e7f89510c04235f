/**
 * WeCom text messages carry at most 2048 bytes of UTF-8 content and silently truncate the rest
 * (message/send and passive replies alike: "最长不超过2048个字节，超过将截断"; docs/wecom.md, protocol rules).
 */
export const WECOM_TEXT_MAX_BYTES = 2048;

const byteLen = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Splits text into chunks of at most `maxBytes` UTF-8 bytes. Cuts only between code points
 * (never inside a multi-byte character or a surrogate pair), preferring the last line break of
 * a chunk so a card's lines stay whole; the break itself is dropped. Empty chunks are never produced.
 */
export function splitUtf8(text: string, maxBytes = WECOM_TEXT_MAX_BYTES): string[] {
  if (maxBytes < 4) throw new RangeError('maxBytes must hold at least one code point (4 bytes)');
  const chunks: string[] = [];
  let rest = text;
  while (byteLen(rest) > maxBytes) {
    // Longest prefix of whole code points that fits.
    let end = 0;
    let bytes = 0;
    for (const cp of rest) {
      const b = byteLen(cp);
      if (bytes + b > maxBytes) break;
      bytes += b;
      end += cp.length;
    }
    const nl = rest.lastIndexOf('\n', end - 1);
    // A break in the first half of the chunk would waste too much of it; cut mid-line then.
    const cut = nl > 0 && byteLen(rest.slice(0, nl)) >= maxBytes / 2 ? nl : end;
    const head = rest.slice(0, cut);
    if (head.length > 0) chunks.push(head);
    rest = rest.slice(cut === nl ? cut + 1 : cut);
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

/**
 * The longest prefix of `text` that fits in `maxBytes` with `marker` appended when cut.
 * For the passive reply, which is one message and cannot be split.
 */
export function truncateUtf8(text: string, maxBytes = WECOM_TEXT_MAX_BYTES, marker = '…'): string {
  if (byteLen(text) <= maxBytes) return text;
  const [head = ''] = splitUtf8(text, maxBytes - byteLen(marker));
  return head + marker;
}
