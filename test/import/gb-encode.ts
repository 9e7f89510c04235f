/**
 * A GBK/GB18030 encoder for test files, built by inverting Node's own decoder (Node encodes
 * only UTF-8): the two-byte table from decoding every GBK pair, the supplementary planes by
 * GB18030's linear four-byte mapping. Enough to write the files a Chinese Excel writes.
 */
let twoByte: Map<string, [number, number]> | null = null;

function table(): Map<string, [number, number]> {
  if (twoByte) return twoByte;
  const dec = new TextDecoder('gb18030', { fatal: true });
  twoByte = new Map();
  for (let b1 = 0x81; b1 <= 0xfe; b1++) {
    for (let b2 = 0x40; b2 <= 0xfe; b2++) {
      if (b2 === 0x7f) continue;
      try {
        const ch = dec.decode(Uint8Array.of(b1, b2));
        if (ch.length === 1 && !twoByte.has(ch)) twoByte.set(ch, [b1, b2]);
      } catch {
        // not a character in GB18030
      }
    }
  }
  return twoByte;
}

/** Text → GB18030 bytes; `gbkOnly` refuses a character GBK cannot hold (a GBK file cannot have it). */
export function encodeGb(text: string, gbkOnly = false): Buffer {
  const out: number[] = [];
  const t = table();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (t.has(ch)) out.push(...t.get(ch)!);
    else if (cp >= 0x10000 && !gbkOnly) {
      let i = cp - 0x10000;
      const b4 = 0x30 + (i % 10);
      i = Math.floor(i / 10);
      const b3 = 0x81 + (i % 126);
      i = Math.floor(i / 126);
      out.push(0x90 + Math.floor(i / 10), 0x30 + (i % 10), b3, b4);
    } else throw new Error(`cannot encode ${ch} (U+${cp.toString(16)}) in ${gbkOnly ? 'GBK' : 'this test encoder'}`);
  }
  return Buffer.from(out);
}
