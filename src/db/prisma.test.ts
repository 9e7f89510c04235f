import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from './prisma.ts';

// The server's own schema: no test database needed for a transaction that only waits.
const db = createPrisma('mysql://root@127.0.0.1:3306/mysql', 2);
afterAll(() => db.$disconnect());

describe('the Prisma client', () => {
  it('keeps an interactive transaction open past Prisma’s 5-second default (a loaded server queues short ones that long)', { timeout: 30_000 }, async () => {
    const r = await db.$transaction(async (tx) => {
      await tx.$queryRawUnsafe('SELECT SLEEP(6)');
      const [row] = await tx.$queryRawUnsafe<{ one: bigint | number }[]>('SELECT 1 AS one');
      return Number(row!.one);
    });
    expect(r).toBe(1);
  });
});
