import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

describe('admin API: tags', () => {
  let t: ApiTestEnv;
  beforeAll(async () => {
    t = await createApiTestEnv('api_tags', {}, { now: () => NOW });
  });
  afterAll(async () => t?.cleanup());

  const tagsOf = async (memberId: number) =>
    ((await t.env.services.sql.query<any[]>('SELECT t.name FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? ORDER BY t.name', [memberId]))[0] as any[]).map((r) => r.name);

  it('lists the dictionary with member counts, filterable by category', async () => {
    const r = await t.call(t.tokens.agent, 'GET', '/api/crm/tags');
    expect(r.status).toBe(200);
    const [rows] = await t.env.services.sql.query<any[]>('SELECT t.name, COUNT(mt.member_id) AS n FROM tags t LEFT JOIN member_tags mt ON mt.tag_id = t.id GROUP BY t.id');
    expect(r.body.items).toHaveLength(rows.length);
    for (const row of rows) expect(r.body.items.find((x: any) => x.name === row.name).members).toBe(Number(row.n));
    expect(r.body.items.find((x: any) => x.name === 'VIP').rule).toBeNull();
    const risk = await t.call(t.tokens.agent, 'GET', '/api/crm/tags?category=risk');
    expect(risk.body.items.map((x: any) => x.name)).toEqual(['流失风险']);
    expect((await t.call(t.tokens.agent, 'GET', '/api/crm/tags?category=nope')).status).toBe(400);
  });

  it('lets tag.manage roles create, rename, merge and delete tags (audited); store roles get 403 before their body is read', async () => {
    const denied = await t.call(t.tokens.manager1, 'POST', '/api/crm/tags', { name: '咖啡爱好者', category: 'behaviour' });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'permission_denied', requestId: denied.requestId });
    expect((await t.call(t.tokens.manager1, 'POST', '/api/crm/tags', { nonsense: 1 })).status).toBe(403);
    expect(await t.env.services.db.tag.count({ where: { name: '咖啡爱好者' } })).toBe(0);

    const created = await t.call(t.tokens.marketer, 'POST', '/api/crm/tags', { name: ' 咖啡爱好者 ', category: 'behaviour', description: '常买咖啡' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '咖啡爱好者', category: 'behaviour', description: '常买咖啡', createdAt: NOW.toISOString() });
    const id = created.body.id;
    expect((await t.auditRows('request_id = ?', [created.requestId]))[0]).toMatchObject({ action: 'tag.create', target_type: 'tag', target_id: String(id), actor_id: 'marketer_01' });

    const dup = await t.call(t.tokens.hq, 'POST', '/api/crm/tags', { name: 'vip', category: 'value' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('tag_exists');

    const renamed = await t.call(t.tokens.hq, 'PATCH', `/api/crm/tags/${id}`, { name: '咖啡控' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: '咖啡控', category: 'behaviour' });
    expect((await t.auditRows('request_id = ?', [renamed.requestId]))[0]).toMatchObject({ action: 'tag.update', target_id: String(id) });
    expect((await t.call(t.tokens.hq, 'PATCH', `/api/crm/tags/${id}`, { name: 'VIP' })).status).toBe(409);
    expect((await t.call(t.tokens.hq, 'PATCH', '/api/crm/tags/999999', { name: 'x' })).status).toBe(404);
    expect((await t.call(t.tokens.manager1, 'PATCH', `/api/crm/tags/${id}`, { name: 'y' })).status).toBe(403);

    const { M00000001: a, M00000002: b } = t.fx.memberIds as Record<string, number>;
    await t.call(t.tokens.hq, 'POST', '/api/crm/tags/apply', { op: 'apply', tag: '咖啡控', memberIds: [a, b] });
    const deleted = await t.call(t.tokens.hq, 'DELETE', `/api/crm/tags/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id, name: '咖啡控', removedFromMembers: 2 });
    expect(await t.env.services.db.memberTag.count({ where: { tagId: id } })).toBe(0);
    expect((await t.call(t.tokens.hq, 'DELETE', `/api/crm/tags/${id}`)).status).toBe(404);

    // Merge: 高价值 → 高价值客户; a member holding both keeps one.
    await t.call(t.tokens.hq, 'POST', '/api/crm/tags/apply', { op: 'apply', tag: '高价值', memberIds: [a, b] });
    await t.call(t.tokens.hq, 'POST', '/api/crm/tags/apply', { op: 'apply', tag: '高价值客户', memberIds: [a] });
    const merged = await t.call(t.tokens.hq, 'POST', '/api/crm/tags/merge', { from: '高价值', into: '高价值客户' });
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({ moved: 1, alreadyHad: 1, into: '高价值客户' });
    expect(await tagsOf(b!)).toContain('高价值客户');
    expect(await t.env.services.db.tag.count({ where: { name: '高价值' } })).toBe(0);
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/tags/merge', { from: '高价值', into: 'VIP' })).status).toBe(404);
  });

  it("applies a tag to many members idempotently; another store's member is skipped and left untouched", async () => {
    const { M00000001: a, M00000004: b, M00000008: other } = t.fx.memberIds as Record<string, number>;
    const body = { op: 'apply', tag: '新客', memberIds: [a, b, other, 999999] };
    const first = await t.call(t.tokens.manager1, 'POST', '/api/crm/tags/apply', body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ changed: 2, skipped: [other, 999999] });
    expect(await tagsOf(a!)).toContain('新客');
    expect(await tagsOf(other!)).not.toContain('新客');
    const [row] = await t.auditRows('request_id = ?', [first.requestId]);
    expect(row).toMatchObject({ action: 'tag.batch_apply', target_type: 'tag', actor_id: 'store_manager_01', channel: 'api' });

    const again = await t.call(t.tokens.manager1, 'POST', '/api/crm/tags/apply', body);
    expect(again.body.changed).toBe(0);

    const removed = await t.call(t.tokens.manager1, 'POST', '/api/crm/tags/apply', { op: 'remove', tag: '新客', memberIds: [a, a] });
    expect(removed.body).toEqual({ changed: 1, skipped: [] });
    expect(await tagsOf(a!)).not.toContain('新客');
    expect(await tagsOf(b!)).toContain('新客');
  });

  it('rejects bad bodies with 422 and the zod issues, bad JSON with 400, an unknown tag with 404', async () => {
    const cases: [unknown, string][] = [
      [{ op: 'toggle', tag: 'VIP', memberIds: [1] }, 'op'],
      [{ op: 'apply', tag: '', memberIds: [1] }, 'tag'],
      [{ op: 'apply', tag: 'VIP', memberIds: [] }, 'memberIds'],
      [{ op: 'apply', tag: 'VIP', memberIds: ['1'] }, 'memberIds'],
      [{ op: 'apply', tag: 'VIP', memberIds: Array.from({ length: 10_001 }, (_, i) => i + 1) }, 'memberIds'],
      [{ op: 'apply', tag: 'VIP', memberIds: [1], extra: true }, ''],
      [[], ''],
    ];
    for (const [body, field] of cases) {
      const r = await t.call(t.tokens.hq, 'POST', '/api/crm/tags/apply', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.requestId).toBe(r.requestId);
      if (field) expect(r.body.error.issues[0].path[0]).toBe(field);
    }
    const empty = await t.call(t.tokens.hq, 'POST', '/api/crm/tags', undefined);
    expect(empty.status).toBe(422);
    const badJson = await t.call(t.tokens.hq, 'POST', '/api/crm/tags/apply', '{"op": "add",');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('invalid_json');
    const unknown = await t.call(t.tokens.hq, 'POST', '/api/crm/tags/apply', { op: 'apply', tag: '不存在的标签', memberIds: [1] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('tag_not_found');
    const patchEmpty = await t.call(t.tokens.hq, 'PATCH', '/api/crm/tags/1', {});
    expect(patchEmpty.status).toBe(422);
    const wrongMethod = await t.call(t.tokens.hq, 'PUT', '/api/crm/tags/1', {});
    expect(wrongMethod.status).toBe(404);
  });
});
