import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dayNumber, formatDay, parseCompactDay, parseIsoDay } from '../../kernel/index.ts';
import { readTransactionFile, readTransactions, TransactionParseError, type TransactionFormat } from './transactions.ts';

async function collect(text: string, format: TransactionFormat) {
  const rows: Array<[string, string, number]> = [];
  const stats = await readTransactions(Readable.from([text]), format, (id, day, amount) => rows.push([id, formatDay(day), amount]));
  return { rows, stats };
}

describe('days', () => {
  it('converts calendar dates to day numbers and back', () => {
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(parseIsoDay('1997-09-30') - parseIsoDay('1997-01-01')).toBe(272);
    expect(parseCompactDay('19980630')).toBe(parseIsoDay('1998-06-30'));
    expect(formatDay(parseIsoDay('2024-02-29'))).toBe('2024-02-29');
  });

  it('rejects impossible or malformed dates', () => {
    for (const s of ['2023-02-29', '1997-13-01', '1997-00-10', '1997-9-30', '1997/09/30', '']) expect(parseIsoDay(s)).toBeNaN();
    expect(parseCompactDay('19970231')).toBeNaN();
  });
});

describe('readTransactions', () => {
  it('reads the CDNOW layout, keying customers by sample id without leading zeros', async () => {
    const { rows, stats } = await collect(' 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n\n 00021 0002 19970101  3   63.34\n', 'cdnow');
    expect(rows).toEqual([
      ['1', '1997-01-01', 29.33],
      ['1', '1997-01-18', 29.73],
      ['2', '1997-01-01', 63.34],
    ]);
    expect(stats.transactions).toBe(3);
  });

  it('reads CSV with a header in any column order, CRLF, a BOM and quoted ids', async () => {
    const { rows } = await collect('\uFEFFdate,customer_id,amount\r\n2024-01-02,"m,1",10.5\r\n2024-01-03,m2,0\r\n', 'csv');
    expect(rows).toEqual([
      ['m,1', '2024-01-02', 10.5],
      ['m2', '2024-01-03', 0],
    ]);
  });

  it('names the line of a malformed row', async () => {
    await expect(collect('customer_id,date,amount\na,2024-01-02,1\nb,2024-02-30,2\n', 'csv')).rejects.toThrow(/line 3: bad date "2024-02-30"/);
    await expect(collect('customer_id,date,amount\na,2024-01-02,abc\n', 'csv')).rejects.toThrow(/line 2: bad amount/);
    await expect(collect('id,when,value\n', 'csv')).rejects.toBeInstanceOf(TransactionParseError);
    await expect(collect(' 00004 0001 19970101\n', 'cdnow')).rejects.toThrow(/line 1: expected 5/);
    await expect(collect('', 'csv')).rejects.toThrow(/empty file/);
  });

  it('rejects an unreadable file with the fs error', async () => {
    await expect(readTransactionFile('/nonexistent/tx.csv', 'csv', () => {})).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
