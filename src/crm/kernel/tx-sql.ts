import type { PoolConnection } from 'mysql2/promise';
import type { Prisma } from '../../db/prisma.ts';

/**
 * A transaction a write can join: a Prisma interactive transaction (adjustments, expiry,
 * journeys) or a mysql2 connection inside its own transaction (merges, which share theirs with
 * the rollups). `txSql` runs one `?`-placeholder SQL text on either.
 */
export type AnyTx = Prisma.TransactionClient | PoolConnection;

export interface TxSql {
  rows(query: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  run(query: string, params: unknown[]): Promise<void>;
}

export function txSql(tx: AnyTx): TxSql {
  if ('$queryRawUnsafe' in tx) {
    return {
      rows: (q, p) => tx.$queryRawUnsafe<Record<string, unknown>[]>(q, ...p),
      run: async (q, p) => void (await tx.$executeRawUnsafe(q, ...p)),
    };
  }
  return {
    rows: async (q, p) => (await tx.query(q, p))[0] as Record<string, unknown>[],
    run: async (q, p) => void (await tx.query(q, p)),
  };
}
