import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { createFixture } from '../../../test/support/crm/fixture.ts';
import { keepWorld, restoreWorld } from './world-restore.ts';

describe('the evaluation world kept and restored between conversations', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('world_restore');
    await createFixture(env.services);
  }, 120_000);
  afterAll(async () => env?.cleanup());

  const one = async (sql: string) => ((await env.services.sql.query<any[]>(sql))[0] as any[])[0];

  it('puts back changed rows, removes added ones and resets the counter, touching nothing unchanged', async () => {
    const world = await keepWorld(env.services);
    const before = await one('SELECT points FROM members ORDER BY id LIMIT 1');
    const tags = await one('SELECT COUNT(*) AS n FROM tags');
    await env.services.sql.query('UPDATE members SET points = points + 123 ORDER BY id LIMIT 1');
    await env.services.sql.query("INSERT INTO tags (name, category) VALUES ('临时', 'behaviour')");
    await env.services.sql.query("DELETE FROM tags WHERE name = '临时'");
    await env.services.sql.query("INSERT INTO tags (name, category) VALUES ('临时2', 'behaviour')");
    expect((await restoreWorld(env.services, world)).sort()).toEqual(['members', 'tags']);
    expect(await one('SELECT points FROM members ORDER BY id LIMIT 1')).toEqual(before);
    expect(await one('SELECT COUNT(*) AS n FROM tags')).toEqual(tags);
    // The next row gets the id it would have had in the world as kept (a ticket's number is made from its id).
    await env.services.sql.query("INSERT INTO tags (name, category) VALUES ('临时3', 'behaviour')");
    const max = await one("SELECT id FROM tags WHERE name = '临时3'");
    expect(max.id).toBe(world.tables.find((t) => t.name === 'tags')!.autoIncrement);
    expect(await restoreWorld(env.services, world)).toEqual(['tags']);
    expect(await restoreWorld(env.services, world)).toEqual([]);
  });
});
