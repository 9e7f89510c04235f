import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Db = InstanceType<typeof PrismaClient>;
export { Prisma } from '../generated/prisma/client.ts';

/** Prisma over the MariaDB driver adapter (Prisma 7 has no bundled query engine). */
export function createPrisma(databaseUrl: string, connectionLimit = 10): Db {
  const url = new URL(databaseUrl.replace(/^mysql:/, 'mariadb:'));
  const adapter = new PrismaMariaDb({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, ''),
    connectionLimit,
    // Keep DATETIME values in UTC both ways; the server's zone must not shift them.
    timezone: '+00:00',
  });
  // Prisma's own defaults (wait 2 s for a connection, close the transaction after 5 s) abort
  // short transactions that are merely queued on a loaded server (P2028, "Transaction already
  // closed", seen for a profile update at load ~30); the limits stay as a bound on a stuck one.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 20_000 } });
}
