import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { eachRow } from './rollup.ts';

// eachRow (the scoring run's read of every member): the rows in order with their columns as the
// promise API types them, an error thrown by the handler rejects, and the connection comes back usable.
describe('eachRow', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('each_row');
  }, 120_000);
  afterAll(async () => env?.cleanup());

  const Q = 'SELECT seq AS n, CAST(seq / 4 AS DECIMAL(10,2)) AS d, IF(seq % 3 = 0, NULL, CONCAT(\'s\', seq)) AS s FROM seq_1_to_5000 ORDER BY seq';

  it('hands over every row, columns in order, typed as the promise API types them', async () => {
    const [expected] = await env.services.sql.query<any[]>({ sql: Q, rowsAsArray: true });
    const seen: unknown[][] = [];
    const n = await eachRow(env.services.sql, Q, [], (r) => seen.push(r));
    expect(n).toBe(5000);
    expect(seen).toEqual(expected);
    expect(seen[2]).toEqual([3, '0.75', null]);
  });

  it('rejects with the error the handler throws, after the query ended; the pool still answers', async () => {
    let calls = 0;
    await expect(
      eachRow(env.services.sql, Q, [], () => {
        if (++calls === 10) throw new Error('stop at 10');
      }),
    ).rejects.toThrow('stop at 10');
    expect(calls).toBe(10);
    await expect(eachRow(env.services.sql, 'SELECT nope FROM seq_1_to_3', [], () => {})).rejects.toThrow(/nope/);
    const all = await Promise.all(Array.from({ length: 12 }, () => env.services.sql.query<any[]>('SELECT 1 AS one')));
    expect(all.every(([[r]]) => Number(r.one) === 1)).toBe(true);
  });
});
