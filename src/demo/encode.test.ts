import { describe, expect, it } from 'vitest';
import { toTsv, tsvField } from './encode.ts';

describe('LOAD DATA encoding', () => {
  it('escapes what LOAD DATA would read as structure, and writes NULL and datetimes its way', () => {
    expect(tsvField('a\tb\\c\nd\re\0f')).toBe('a\\tb\\\\c\\nd\\re\\0f');
    expect(tsvField('{"name":"宫保鸡丁","qty":2}')).toBe('{"name":"宫保鸡丁","qty":2}');
    expect(tsvField(null)).toBe('\\N');
    expect(tsvField(undefined)).toBe('\\N');
    expect(tsvField(true)).toBe('1');
    expect(tsvField(12.5)).toBe('12.5');
    expect(tsvField(new Date('2026-11-20T16:05:09.007Z'))).toBe('2026-11-20 16:05:09.007');
    expect(tsvField(new Date('1999-12-31T23:59:59.999Z'))).toBe('1999-12-31 23:59:59.999');
    expect(() => tsvField({})).toThrow(TypeError);
  });

  it('joins fields with tabs and ends every row with a newline', () => {
    expect(toTsv([[1, 'x', null], [2, 'y\tz', new Date(0)]])).toBe('1\tx\t\\N\n2\ty\\tz\t1970-01-01 00:00:00.000\n');
    expect(toTsv([])).toBe('');
  });
});
