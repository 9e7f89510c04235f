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
    await expect(collect('customer_id,date,amount\na,2024-01-02,1\nb,2024-02-30,2\n', 'csv')).rejects.toThrow(/line 3, column 2 \(date\): bad date "2024-02-30"/);
    await expect(collect('customer_id,date,amount\na,2024-01-02,abc\n', 'csv')).rejects.toThrow(/line 2, column 3 \(amount\): bad amount/);
    await expect(collect('id,when,value\n', 'csv')).rejects.toBeInstanceOf(TransactionParseError);
    await expect(collect(' 00004 0001 19970101\n', 'cdnow')).rejects.toThrow(/line 1: expected 5/);
    await expect(collect('', 'csv')).rejects.toThrow(/empty file/);
    await expect(collect('', 'auto')).rejects.toThrow(/empty file/);
  });

  it('rejects an unreadable file with the fs error', async () => {
    await expect(readTransactionFile('/nonexistent/tx.csv', 'csv', () => {})).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readTransactions: the formats data really comes in', () => {
  it('reads the full CDNOW release (4 columns) with or without a header line, spaces or commas', async () => {
    const plain = await collect('00001 19970101 1 11.77\n00002 19970112 1 12.00\n00002 19970112 5 77.00\n', 'cdnow-full');
    expect(plain.rows).toEqual([
      ['1', '1997-01-01', 11.77],
      ['2', '1997-01-12', 12],
      ['2', '1997-01-12', 77],
    ]);
    const headed = await collect('customer_id,date,cds,dollars\n1,19970101,1,11.77\n2,19970112,1,12.00\n', 'cdnow-full');
    expect(headed.rows.map((r) => r[0])).toEqual(['1', '2']);
    expect(headed.stats.transactions).toBe(2);
  });

  it('tells the layout from the first line with auto', async () => {
    expect((await collect(' 00004 0001 19970101  2   29.33\n', 'auto')).stats.format).toBe('cdnow');
    expect((await collect('00001 19970101 1 11.77\n', 'auto')).stats.format).toBe('cdnow-full');
    expect((await collect('id date cds dollars\n00001 19970101 1 11.77\n', 'auto')).stats.format).toBe('cdnow-full');
    expect((await collect('customer_id,date,amount\na,2024-01-02,1\n', 'auto')).stats.format).toBe('csv');
    await expect(collect('a;b\n', 'auto')).rejects.toThrow(/cannot tell the format/);
  });

  it('reads a CSV through a header mapping, with order-export dates', async () => {
    const rows: Array<[string, string, number]> = [];
    const stats = await readTransactions(
      Readable.from(['会员号,下单时间,实付金额,门店\nM1,2024-01-02 13:05:00,88.5,S1\nM2,2024/01/03,12,S2\nM1,20240104,1,S1\n']),
      'auto',
      (id, day, amount) => rows.push([id, formatDay(day), amount]),
      { columns: { customer: '会员号', date: '下单时间', amount: '实付金额' } },
    );
    expect(stats.format).toBe('csv');
    expect(rows).toEqual([
      ['M1', '2024-01-02', 88.5],
      ['M2', '2024-01-03', 12],
      ['M1', '2024-01-04', 1],
    ]);
  });

  it('says which line, which column and why', async () => {
    await expect(collect('customer_id,date,amount\na,2024-01-02,1\nb,2024-02-30,2\n', 'csv')).rejects.toThrow('line 3, column 2 (date): bad date "2024-02-30"');
    await expect(collect('date,customer_id,amount\n2024-01-02,,1\n', 'csv')).rejects.toThrow('line 2, column 2 (customer_id): empty customer id');
    await expect(collect('customer_id,date,amount\na,2024-01-02,12元\n', 'csv')).rejects.toThrow('line 2, column 3 (amount): bad amount "12元", expected a number');
    await expect(collect('00001 19970101 1 11.77\n00001 1997010 1 11.77\n', 'cdnow-full')).rejects.toThrow('line 2, column 2 (date): bad date "1997010", expected YYYYMMDD');
    await expect(collect('00001 19970101 1 11.77\n', 'cdnow')).rejects.toThrow(/line 1: expected 5 .*got 4 \(4 columns is the full CDNOW release/);
    await expect(collect(' 00004 0001 19970101  2   29.33\n', 'cdnow-full')).rejects.toThrow(/line 1: expected 4 .*got 5 \(5 columns is the CDNOW sample/);
    const err = await collect('member,when,value\n', 'csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionParseError);
    expect((err as Error).message).toMatch(/no customer column "customer_id", no date column "date", no amount column "amount"/);
  });
});
