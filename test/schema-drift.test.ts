import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSchemaDrift } from '../src/db/drift.ts';
import { splitDatabaseUrl } from '../src/db/sql.ts';
import { createTestEnv, type TestEnv } from './support/env.ts';

const schemaFile = new URL('../prisma/schema.prisma', import.meta.url);

// The database is a copy of the migrated template (test/support/template-db.ts): "no drift" also
// proves the copy lost nothing (a foreign key or index missing from it would show here).
// information_schema reads take over 30 s on a machine at load 20+: each case gets 120 s.
describe('schema.prisma and the SQL migrations', { timeout: 120_000 }, () => {
  let env: TestEnv;
  let schema: string;
  let database: string;
  beforeAll(async () => {
    env = await createTestEnv('drift');
    schema = await readFile(schemaFile, 'utf8');
    database = splitDatabaseUrl(env.databaseUrl).database;
  }, 180_000);
  afterAll(async () => env?.cleanup());

  it('describe the same database (no drift)', async () => {
    expect(await findSchemaDrift(schema, env.services.sql, database)).toEqual([]);
  });

  it('detects a column changed behind schema.prisma’s back', async () => {
    await env.services.sql.query('ALTER TABLE members MODIFY phone_tail VARCHAR(20) NULL');
    await env.services.sql.query('ALTER TABLE stores ADD COLUMN extra INT NULL');
    const drift = await findSchemaDrift(schema, env.services.sql, database);
    expect(drift).toContain('members.phone_tail: type varchar(20) in the database, varchar(4) in schema.prisma');
    expect(drift).toContain('members.phone_tail: NULL in the database, required in schema.prisma');
    expect(drift).toContain('stores.extra: column exists in the database but not in schema.prisma');
  });

  it('detects a missing index and a missing foreign key', async () => {
    await env.services.sql.query('ALTER TABLE orders DROP FOREIGN KEY orders_store_id_fkey');
    await env.services.sql.query('DROP INDEX members_name_idx ON members');
    const drift = await findSchemaDrift(schema, env.services.sql, database);
    expect(drift).toContain('members: index(name) missing in the database');
    expect(drift.some((d) => d.startsWith('orders(store_id): foreign key to stores missing'))).toBe(true);
  });
});
