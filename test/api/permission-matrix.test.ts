import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRouteList } from '../../src/api/routes/index.ts';
import { createApiToken } from '../../src/api/tokens.ts';
import { ROLE_PERMISSIONS, storeScope, type StaffActor } from '../../src/crm/kernel/index.ts';

type StaffRole = keyof typeof ROLE_PERMISSIONS;
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/**
 * The permission matrix: every operation of the admin API — taken from the same route list the
 * OpenAPI document is built from, never a hand-written list — against every staff role.
 * A role without the route's declared permission gets 403 before anything is read or written
 * (every table's checksum unchanged); a store role holding it never reaches a member of another
 * store (404, like an unknown id) and never sees one in a list.
 */
let t: ApiTestEnv;
const tokens = {} as Record<StaffRole, string>;
const actors = {} as Record<StaffRole, StaffActor>;
let otherMember = 0;
let ownMember = 0;
let otherStoreMembers = new Set<number>();
let tables: string[] = [];

const routes = apiRouteList().map((r) => r.route);
const ROLES = Object.keys(ROLE_PERMISSIONS) as StaffRole[];

/** Tables a refused request may change: the audit trail of the refusal and the token's last use. */
const BOOKKEEPING = new Set(['audit_logs', 'api_tokens']);

async function checksums(): Promise<Record<string, string>> {
  const [rows] = await t.env.services.sql.query<RowDataPacket[]>(`CHECKSUM TABLE ${tables.map((n) => `\`${n}\``).join(', ')}`);
  return Object.fromEntries(rows.map((r) => [String(r.Table).split('.').pop()!, String(r.Checksum)]));
}

/** The query a list needs to answer at all (the interactions list is per member or the follow-up queue). */
const LIST_QUERY: Record<string, string> = { '/crm/interactions': '?pending_follow_up=true' };

const example = (r: (typeof routes)[number]): unknown => (r.request as any)?.body?.content?.['application/json']?.example;
const url = (path: string, id: number | string) => `/api${path.replace(/\{[a-zA-Z]+\}/g, String(id))}`;

beforeAll(async () => {
  t = await createApiTestEnv('api_permission_matrix');
  const admin = await t.env.services.db.staff.create({ data: { wecomUserId: 'admin_01', name: '管理员', role: 'admin' } });
  const byRole: Record<StaffRole, string> = { admin: admin.wecomUserId, hq_operator: t.fx.staff.hq.wecomUserId, marketer: t.fx.staff.marketer.wecomUserId, store_manager: t.fx.staff.manager1.wecomUserId, agent: t.fx.staff.agent.wecomUserId };
  for (const role of ROLES) tokens[role] = (await createApiToken(t.env.services, { staff: byRole[role], name: `matrix-${role}` })).token;
  Object.assign(actors, { admin: { ...t.fx.staff.hq, role: 'admin', storeIds: [] }, hq_operator: t.fx.staff.hq, marketer: t.fx.staff.marketer, store_manager: t.fx.staff.manager1, agent: t.fx.staff.agent });
  otherMember = t.fx.memberIds.M00000002!; // store S2; the store roles of the fixture work in S1
  ownMember = t.fx.memberIds.M00000001!;
  const [m] = await t.env.services.sql.query<RowDataPacket[]>('SELECT id FROM members WHERE home_store_id = ?', [t.fx.stores.S2]);
  otherStoreMembers = new Set(m.map((r) => Number(r.id)));
  const [tb] = await t.env.services.sql.query<RowDataPacket[]>("SELECT table_name AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name");
  // Something of the other store in the automation lists: a store journey and its log row.
  const [j] = await t.env.services.sql.query<ResultSetHeader>("INSERT INTO journeys (name, status, current_version, trigger_type, store_id, created_by, created_at, updated_at) VALUES ('二店召回', 'active', 1, 'manual', ?, 'test', NOW(3), NOW(3))", [t.fx.stores.S2]);
  const [e] = await t.env.services.sql.query<ResultSetHeader>("INSERT INTO journey_enrollments (journey_id, version, member_id, dedupe_key, state, entered_at, updated_at) VALUES (?, 1, ?, 'matrix', 'completed', NOW(3), NOW(3))", [j.insertId, otherMember]);
  await t.env.services.sql.query("INSERT INTO journey_step_executions (member_id, journey_id, enrollment_id, step_id, step_type, result, created_at) VALUES (?, ?, ?, 'msg', 'action', 'sent', NOW(3))", [otherMember, j.insertId, e.insertId]);
  tables = tb.map((r) => String(r.n)).filter((n) => !BOOKKEEPING.has(n));
});
afterAll(async () => {
  await t?.cleanup();
});

describe('permission matrix of the admin API', () => {
  it('covers every operation of the OpenAPI document, each with a declared permission, and every role', async () => {
    const doc = (await t.call(null, 'GET', '/api/openapi.json')).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    const listed = routes.map((r) => `${r.method} /api${r.path}`);
    expect(listed.length).toBeGreaterThan(50);
    // Same operations, whichever prefix the document's paths carry.
    expect(documented.map((d) => d.replace(' /api/', ' /')).sort()).toEqual(listed.map((l) => l.replace(' /api/', ' /')).sort());
    for (const r of routes) expect(r['x-permission']).toBeTruthy();
    expect(ROLES.sort()).toEqual(['admin', 'agent', 'hq_operator', 'marketer', 'store_manager']);
    // Each role is refused somewhere but admin, and allowed somewhere.
    for (const role of ROLES) expect(routes.some((r) => ROLE_PERMISSIONS[role].includes(r['x-permission']))).toBe(true);
  });

  it('a role without the permission gets 403 permission_denied and no table changes', async () => {
    let refused = 0;
    for (const r of routes) {
      const denied = ROLES.filter((role) => !ROLE_PERMISSIONS[role].includes(r['x-permission']));
      if (!denied.length) continue;
      const before = await checksums();
      for (const role of denied) {
        const res = await t.call(tokens[role], r.method.toUpperCase(), url(r.path, ownMember), example(r));
        expect({ op: `${r.method} ${r.path}`, role, status: res.status, code: res.body?.error?.code }).toEqual({ op: `${r.method} ${r.path}`, role, status: 403, code: 'permission_denied' });
        refused++;
      }
      expect({ op: `${r.method} ${r.path}`, tables: await checksums() }).toEqual({ op: `${r.method} ${r.path}`, tables: before });
    }
    expect(refused).toBeGreaterThan(50);
  });

  it('a store role holding the permission answers 404 for another store’s member, and changes nothing', async () => {
    let probed = 0;
    for (const r of routes.filter((r) => r.path.startsWith('/crm/customers/{id}'))) {
      for (const role of ROLES.filter((role) => storeScope(actors[role]) !== null && ROLE_PERMISSIONS[role].includes(r['x-permission']))) {
        const before = await checksums();
        const res = await t.call(tokens[role], r.method.toUpperCase(), url(r.path, otherMember), example(r));
        expect({ op: `${r.method} ${r.path}`, role, status: res.status }).toEqual({ op: `${r.method} ${r.path}`, role, status: 404 });
        expect(await checksums()).toEqual(before);
        probed++;
      }
    }
    expect(probed).toBeGreaterThan(10);
  });

  it('a store role never sees a member of another store in any list it may read', async () => {
    const found = (v: unknown, out: number[] = []): number[] => {
      if (Array.isArray(v)) v.forEach((x) => found(x, out));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === 'memberId' && typeof x === 'number' ? out.push(x) : found(x, out));
      return out;
    };
    let lists = 0;
    for (const r of routes.filter((r) => r.method === 'get' && !r.path.includes('{'))) {
      for (const role of ROLES.filter((role) => storeScope(actors[role]) !== null && ROLE_PERMISSIONS[role].includes(r['x-permission']))) {
        if (r.path === '/crm/customers/export') continue; // a CSV (store roles lack member.export; its scope: test/api/customers.test.ts)
        const res = await t.call(tokens[role], 'GET', `/api${r.path}${LIST_QUERY[r.path] ?? ''}`);
        expect({ op: r.path, role, status: res.status }).toEqual({ op: r.path, role, status: 200 });
        const ids = [...found(res.body), ...(r.path === '/crm/customers' ? res.body.items.map((i: any) => i.id) : [])];
        expect({ op: r.path, role, leaked: ids.filter((id) => otherStoreMembers.has(id)) }).toEqual({ op: r.path, role, leaked: [] });
        lists++;
      }
    }
    expect(lists).toBeGreaterThan(5);
  });
});
