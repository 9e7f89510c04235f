import { describe, expect, it } from 'vitest';
import { splitUtf8, truncateUtf8, WECOM_TEXT_MAX_BYTES } from './split.ts';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('splitUtf8', () => {
  it('keeps short text whole and produces nothing for empty text', () => {
    expect(splitUtf8('你好')).toEqual(['你好']);
    expect(splitUtf8('x'.repeat(2048))).toHaveLength(1);
    expect(splitUtf8('')).toEqual([]);
  });

  it('splits long Chinese text at ≤2048 bytes without breaking a character', () => {
    const text = '会员流失预警'.repeat(300); // 3 bytes each: 5400 bytes
    const chunks = splitUtf8(text);
    expect(chunks.length).toBe(3);
    for (const c of chunks) {
      expect(bytes(c)).toBeLessThanOrEqual(WECOM_TEXT_MAX_BYTES);
      expect(c).not.toContain('\uFFFD');
    }
    expect(bytes(chunks[0]!)).toBe(2046); // 682 characters × 3 bytes: the 683rd would overflow
    expect(chunks.join('')).toBe(text);
  });

  it('never splits a surrogate pair (4-byte emoji)', () => {
    const text = `a${'😀'.repeat(1000)}`;
    const chunks = splitUtf8(text, 2048);
    for (const c of chunks) {
      expect(bytes(c)).toBeLessThanOrEqual(2048);
      expect(Buffer.from(c, 'utf8').toString('utf8')).toBe(c); // no lone surrogate
    }
    expect(chunks.join('')).toBe(text);
  });

  it('prefers the last line break, dropping it, so lines stay whole', () => {
    const line = `${'会员'.repeat(20)}13800000001`; // 131 bytes
    const text = Array.from({ length: 40 }, (_, i) => `${i}:${line}`).join('\n');
    const chunks = splitUtf8(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(bytes(c)).toBeLessThanOrEqual(2048);
      expect(c.startsWith('\n')).toBe(false);
      expect(c.endsWith('\n')).toBe(false);
    }
    expect(chunks.join('\n')).toBe(text);
  });

  it('cuts mid-line when the only break would waste most of the chunk', () => {
    const text = `short\n${'长'.repeat(1000)}`;
    const chunks = splitUtf8(text);
    expect(bytes(chunks[0]!)).toBeGreaterThan(2000);
    expect(chunks.join('')).toBe(text);
  });
});

describe('truncateUtf8', () => {
  it('leaves fitting text alone and marks a cut', () => {
    expect(truncateUtf8('你好')).toBe('你好');
    const cut = truncateUtf8('长'.repeat(1000));
    expect(bytes(cut)).toBeLessThanOrEqual(2048);
    expect(cut.endsWith('…')).toBe(true);
  });
});
