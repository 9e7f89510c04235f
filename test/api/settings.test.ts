import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/tokens.ts';
import { MEMBERS, NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

const DAY = 86_400_000;
/** A JSON column as the driver hands it (parsed, or text). */
const det = (d: unknown) => (typeof d === 'string' ? JSON.parse(d) : d);

/**
 * The engines' configuration through the admin API (settings.manage, audit.read: admin only):
 * tag rules and their runs, the points expiry rule, the churn thresholds, the audit log. The
 * expectations are computed here from the fixture's own data, not by the code under test.
 */
describe('admin API: engine settings', () => {
  let t: ApiTestEnv;
  let admin = '';
  beforeAll(async () => {
    t = await createApiTestEnv('api_settings', {}, { now: () => NOW });
    await t.env.services.db.staff.create({ data: { wecomUserId: 'admin_01', name: '管理员', role: 'admin' } });
    admin = (await createApiToken(t.env.services, { staff: 'admin_01', name: 'settings-admin' })).token;
  });
  afterAll(async () => t?.cleanup());

  const holders = async (tag: string) =>
    (
      await t.env.services.sql.query<any[]>('SELECT m.member_no, mt.source FROM member_tags mt JOIN tags t ON t.id = mt.tag_id JOIN members m ON m.id = mt.member_id WHERE t.name = ? ORDER BY m.member_no', [tag])
    )[0].map((r: any) => `${r.member_no}:${r.source}`);

  it('refuses every configuration operation to non-admin roles with 403, before reading the body', async () => {
    const ops: [string, string, unknown?][] = [
      ['GET', '/api/crm/tag-rules'],
      ['POST', '/api/crm/tag-rules', { tag: 'x', rule: { kind: 'points', min: 1 } }],
      ['GET', '/api/crm/tag-rules/1'],
      ['PATCH', '/api/crm/tag-rules/1', { enabled: false }],
      ['DELETE', '/api/crm/tag-rules/1'],
      ['POST', '/api/crm/tag-rules/1/run'],
      ['GET', '/api/crm/settings/points-expiry'],
      ['PUT', '/api/crm/settings/points-expiry', { months: 1 }],
      ['GET', '/api/crm/settings/wecom-mass-cap'],
      ['PUT', '/api/crm/settings/wecom-mass-cap', { per: 'day' }],
      ['GET', '/api/crm/settings/rfm'],
      ['PUT', '/api/crm/settings/rfm', { nonsense: true }],
      ['GET', '/api/crm/settings/churn'],
      ['PUT', '/api/crm/settings/churn', { levels: { high: 0.5, medium: 0.2 }, silenceDays: { low: 1, medium: 2, high: 3 } }],
      ['GET', '/api/crm/audit-logs'],
    ];
    for (const role of ['hq', 'marketer', 'manager1', 'agent'] as const) {
      for (const [method, path, body] of ops) {
        const r = await t.call(t.tokens[role], method, path, body);
        expect([role, method, path, r.status, r.body.error?.code]).toEqual([role, method, path, 403, 'permission_denied']);
      }
    }
    expect(await t.env.services.db.crmSetting.count()).toBe(0);
    expect(await t.env.services.db.tagRule.count()).toBe(0);
  });

  it('tag rules: create, list, get, update; a run tags exactly the members the rule describes and answers who gained and lost it', async () => {
    // "At least 3 orders in the last 180 days", computed from the fixture's order days.
    const active = MEMBERS.filter((m) => (m.status ?? 'active') !== 'deleted');
    const atLeast = (min: number, days: number) => active.filter((m) => m.orders.filter((d) => d * DAY + 3_600_000 <= days * DAY).length >= min).map((m) => m.memberNo).sort();
    const want3 = atLeast(3, 180);
    expect(want3.length).toBeGreaterThan(1); // the data make the rule meaningful

    const created = await t.call(admin, 'POST', '/api/crm/tag-rules', { tag: '半年常客', category: 'behaviour', rule: { kind: 'order_count', min: 3, days: 180 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tag: '半年常客', category: 'behaviour', rule: { kind: 'order_count', min: 3, days: 180 }, description: '近 180 天订单 ≥ 3 笔', enabled: true, lastEvaluatedAt: null, createdBy: 'admin_01' });
    const id = created.body.id;
    expect(await holders('半年常客')).toEqual([]); // saving tags nobody
    const [audit] = await t.auditRows('request_id = ?', [created.requestId]);
    expect(audit).toMatchObject({ action: 'tag.rule.create', target_type: 'tag_rule', target_id: String(id), actor_id: 'admin_01' });
    expect(det(audit.detail)).toMatchObject({ old: null, new: { rule: { kind: 'order_count', min: 3, days: 180 }, enabled: true } });

    // A manual tag on a member outside the rule survives every run.
    const tagId = created.body.tagId;
    const outsider = MEMBERS.find((m) => !want3.includes(m.memberNo) && (m.status ?? 'active') === 'active')!.memberNo;
    await t.env.services.db.memberTag.create({ data: { memberId: t.fx.memberIds[outsider]!, tagId, source: 'manual' } });

    const run = await t.call(admin, 'POST', `/api/crm/tag-rules/${id}/run`);
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ ruleId: id, tagId, tag: '半年常客', enabled: true, added: want3.length, removed: 0, matched: want3.length + 1 });
    expect(await holders('半年常客')).toEqual([...want3.map((n) => `${n}:rule`), `${outsider}:manual`].sort());
    expect((await t.call(admin, 'POST', `/api/crm/tag-rules/${id}/run`)).body).toMatchObject({ added: 0, removed: 0 }); // idempotent

    // Stricter: at least 5 orders in 180 days. Saving changes nobody; the run takes the tag off the rest.
    const want5 = atLeast(5, 180);
    const patched = await t.call(admin, 'PATCH', `/api/crm/tag-rules/${id}`, { rule: { kind: 'order_count', min: 5, days: 180 } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, rule: { min: 5 }, description: '近 180 天订单 ≥ 5 笔' });
    const [pa] = await t.auditRows('request_id = ?', [patched.requestId]);
    expect(det(pa.detail)).toMatchObject({ old: { rule: { min: 3 } }, new: { rule: { min: 5 } } });
    const run2 = await t.call(admin, 'POST', `/api/crm/tag-rules/${id}/run`);
    expect(run2.body).toMatchObject({ added: 0, removed: want3.length - want5.length, matched: want5.length + 1 });
    expect(await holders('半年常客')).toEqual([...want5.map((n) => `${n}:rule`), `${outsider}:manual`].sort());

    const list = await t.call(admin, 'GET', '/api/crm/tag-rules');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id, lastEvaluatedAt: NOW.toISOString(), lastMatched: want5.length + 1 });
    expect((await t.call(admin, 'GET', `/api/crm/tag-rules/${id}`)).body).toEqual(list.body.items[0]);
    // The tag dictionary shows the rule too.
    expect((await t.call(admin, 'GET', '/api/crm/tags')).body.items.find((x: any) => x.name === '半年常客').rule.rule).toEqual({ kind: 'order_count', min: 5, days: 180 });

    // One rule per tag.
    const dup = await t.call(admin, 'POST', '/api/crm/tag-rules', { tag: '半年常客', rule: { kind: 'points', min: 1 } });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'tag_rule_exists']);
  });

  it('tag rules: validation names the field; unknown ids are 404; delete takes the rule tags off and keeps manual ones', async () => {
    const bad = await t.call(admin, 'POST', '/api/crm/tag-rules', { tag: '大额', rule: { kind: 'spend', min: 'lots' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.issues.map((i: any) => i.path.join('.'))).toContain('rule.min');
    const kind = await t.call(admin, 'POST', '/api/crm/tag-rules', { tag: '大额', rule: { kind: 'visits', min: 1 } });
    expect([kind.status, kind.body.error.issues[0].path[0]]).toEqual([422, 'rule']);
    const empty = await t.call(admin, 'PATCH', '/api/crm/tag-rules/1', {});
    expect(empty.status).toBe(422);
    for (const [m, p] of [['GET', '/api/crm/tag-rules/999999'], ['PATCH', '/api/crm/tag-rules/999999'], ['DELETE', '/api/crm/tag-rules/999999'], ['POST', '/api/crm/tag-rules/999999/run']] as const) {
      const r = await t.call(admin, m, p, m === 'PATCH' ? { enabled: false } : undefined);
      expect([m, p, r.status, r.body.error.code]).toEqual([m, p, 404, 'tag_rule_not_found']);
    }
    expect(await t.env.services.db.tag.count({ where: { name: '大额' } })).toBe(0);

    const rule = (await t.call(admin, 'GET', '/api/crm/tag-rules')).body.items[0];
    const holdersBefore = await holders(rule.tag);
    const byRule = holdersBefore.filter((h: string) => h.endsWith(':rule')).length;
    const del = await t.call(admin, 'DELETE', `/api/crm/tag-rules/${rule.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ id: rule.id, tag: rule.tag, removedFromMembers: byRule });
    expect(await holders(rule.tag)).toEqual(holdersBefore.filter((h: string) => h.endsWith(':manual')));
    const [a] = await t.auditRows('request_id = ?', [del.requestId]);
    expect(a).toMatchObject({ action: 'tag.rule.delete', target_type: 'tag_rule', target_id: String(rule.id) });
    expect(det(a.detail)).toMatchObject({ old: { rule: { kind: 'order_count', min: 5 } }, new: null, removedFromMembers: byRule });
    expect((await t.call(admin, 'GET', `/api/crm/tag-rules/${rule.id}`)).status).toBe(404);

    // keepTags=true leaves what the rule set.
    const again = await t.call(admin, 'POST', '/api/crm/tag-rules', { tag: '积分达人', category: 'value', rule: { kind: 'points', min: 1000 } });
    await t.call(admin, 'POST', `/api/crm/tag-rules/${again.body.id}/run`);
    const kept = await holders('积分达人');
    expect(kept.length).toBeGreaterThan(0);
    expect((await t.call(admin, 'DELETE', `/api/crm/tag-rules/${again.body.id}?keepTags=true`)).body.removedFromMembers).toBe(0);
    expect(await holders('积分达人')).toEqual(kept);
  });

  it('points expiry: reads the default, validates, stores and audits old → new', async () => {
    expect((await t.call(admin, 'GET', '/api/crm/settings/points-expiry')).body).toEqual({ months: 24 });
    const bad = await t.call(admin, 'PUT', '/api/crm/settings/points-expiry', { months: -1 });
    expect([bad.status, bad.body.error.issues[0].path]).toEqual([422, ['months']]);
    const put = await t.call(admin, 'PUT', '/api/crm/settings/points-expiry', { months: 12 });
    expect([put.status, put.body]).toEqual([200, { months: 12 }]);
    expect((await t.call(admin, 'GET', '/api/crm/settings/points-expiry')).body).toEqual({ months: 12 });
    const [a] = await t.auditRows('request_id = ?', [put.requestId]);
    expect(a).toMatchObject({ action: 'points.expiry.set', target_type: 'setting', target_id: 'points.expiry', actor_id: 'admin_01' });
    expect(det(a.detail)).toEqual({ old: { months: 24 }, new: { months: 12 } });
    // Points earned now lapse 12 months later.
    const memberId = t.fx.memberIds.M00000001!;
    await t.call(admin, 'POST', `/api/crm/customers/${memberId}/points`, { delta: 10, reason: '测试' });
    const entry = await t.env.services.db.pointsLedger.findFirstOrThrow({ where: { memberId }, orderBy: { id: 'desc' } });
    expect(entry.expiresAt?.toISOString()).toBe('2027-11-21T04:00:00.000Z');
  });

  it('群发 cap per customer: the default (per month), validates, stores and audits old → new', async () => {
    expect((await t.call(admin, 'GET', '/api/crm/settings/wecom-mass-cap')).body).toEqual({ per: 'month' });
    const bad = await t.call(admin, 'PUT', '/api/crm/settings/wecom-mass-cap', { per: 'year' });
    expect([bad.status, bad.body.error.issues[0].path]).toEqual([422, ['per']]);
    const put = await t.call(admin, 'PUT', '/api/crm/settings/wecom-mass-cap', { per: 'week' });
    expect([put.status, put.body]).toEqual([200, { per: 'week' }]);
    expect((await t.call(admin, 'GET', '/api/crm/settings/wecom-mass-cap')).body).toEqual({ per: 'week' });
    const [a] = await t.auditRows('request_id = ?', [put.requestId]);
    expect(a).toMatchObject({ action: 'journeys.wecom_mass_cap.set', target_type: 'setting', target_id: 'journeys.wecom_mass_cap', actor_id: 'admin_01' });
    expect(det(a.detail)).toEqual({ old: { per: 'month' }, new: { per: 'week' } });
    await t.call(admin, 'PUT', '/api/crm/settings/wecom-mass-cap', { per: 'month' });
  });

  it('RFM settings: the default; each broken rule is a 422 naming its field; a valid one is stored and audited', async () => {
    expect((await t.call(admin, 'GET', '/api/crm/settings/rfm')).body).toEqual({ window: 'all', grades: 5, weights: { r: 1, f: 1, m: 1 } });
    const base = { window: 'all', grades: 4, weights: { r: 1, f: 1, m: 1 } };
    const cases: [unknown, string][] = [
      [{ ...base, grades: 11 }, 'grades'],
      [{ ...base, grades: 2 }, 'grades'],
      [{ ...base, window: '90d' }, 'window'],
      [{ ...base, weights: { r: 0, f: 0, m: 0 } }, 'weights'],
      [{ ...base, weights: { r: -1, f: 1, m: 1 } }, 'weights.r'],
      [{ ...base, cuts: { r: [10, 30] } }, 'cuts.r'],
      [{ ...base, cuts: { f: [1, 3, 2] } }, 'cuts.f.2'],
      [{ ...base, cuts: { m: [100, 100, 200] } }, 'cuts.m.1'],
      [{ grades: 4, weights: base.weights }, 'window'],
    ];
    for (const [body, field] of cases) {
      const r = await t.call(admin, 'PUT', '/api/crm/settings/rfm', body);
      expect([field, r.status, r.body.error.code]).toEqual([field, 422, 'validation_failed']);
      expect(r.body.error.issues.map((i: any) => i.path.join('.'))).toContain(field);
    }
    expect(await t.env.services.db.crmSetting.count({ where: { key: 'insights.rfm' } })).toBe(0);
    const put = await t.call(admin, 'PUT', '/api/crm/settings/rfm', { ...base, cuts: { r: [7, 30, 90] } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ settings: { ...base, cuts: { r: [7, 30, 90] } }, previous: { window: 'all', grades: 5, weights: { r: 1, f: 1, m: 1 } }, recompute: { status: 'not_requested' } });
    expect((await t.call(admin, 'GET', '/api/crm/settings/rfm')).body).toEqual({ ...base, cuts: { r: [7, 30, 90] } });
    const [a] = await t.auditRows('request_id = ?', [put.requestId]);
    expect(a).toMatchObject({ action: 'settings.rfm.set', target_type: 'setting', target_id: 'insights.rfm' });
    expect(det(a.detail)).toEqual({ old: { window: 'all', grades: 5, weights: { r: 1, f: 1, m: 1 } }, new: { ...base, cuts: { r: [7, 30, 90] } } });
    // Back to the default for the churn tests below (they score the fixture).
    await t.call(admin, 'PUT', '/api/crm/settings/rfm', { window: 'all', grades: 5, weights: { r: 1, f: 1, m: 1 } });
  });

  it('churn thresholds: validated; the rule list takes the high-risk silence at once; with recompute the model list follows new levels', async () => {
    const defaults = { levels: { high: 0.7, medium: 0.4 }, silenceDays: { low: 30, medium: 60, high: 90 } };
    expect((await t.call(admin, 'GET', '/api/crm/settings/churn')).body).toEqual(defaults);
    const cases: [unknown, string][] = [
      [{ ...defaults, levels: { high: 0.4, medium: 0.7 } }, 'levels.medium'],
      [{ ...defaults, levels: { high: 1.2, medium: 0.4 } }, 'levels.high'],
      [{ ...defaults, levels: { high: 0.7, medium: 0 } }, 'levels.medium'],
      [{ ...defaults, silenceDays: { low: 60, medium: 30, high: 90 } }, 'silenceDays.low'],
      [{ ...defaults, silenceDays: { low: 30, medium: 90, high: 90 } }, 'silenceDays.medium'],
      [{ ...defaults, silenceDays: { low: 30, medium: 60, high: 90.5 } }, 'silenceDays.high'],
    ];
    for (const [body, field] of cases) {
      const r = await t.call(admin, 'PUT', '/api/crm/settings/churn', body);
      expect([field, r.status]).toEqual([field, 422]);
      expect(r.body.error.issues.map((i: any) => i.path.join('.'))).toContain(field);
    }

    // Before any scoring run, the first-version rule list: active members with a rhythm (two
    // orders or more) silent for more than the floor and more than 3× their median gap.
    const ruleList = (minDays: number) =>
      MEMBERS.filter((m) => (m.status ?? 'active') === 'active' && m.orders.length >= 2)
        .filter((m) => {
          const days = [...m.orders].sort((a, b) => b - a);
          const gaps = days.slice(1).map((d, i) => days[i]! - d).sort((a, b) => a - b);
          const median = gaps.length % 2 ? gaps[(gaps.length - 1) / 2]! : (gaps[gaps.length / 2 - 1]! + gaps[gaps.length / 2]!) / 2;
          const since = Math.min(...m.orders);
          return since > minDays && since > 3 * median;
        })
        .map((m) => m.memberNo)
        .sort();
    const list = async () => {
      const r = await t.call(t.tokens.hq, 'GET', '/api/crm/insights/churn?limit=100');
      expect(r.status).toBe(200);
      return { source: r.body.source, members: r.body.entries.map((e: any) => e.memberNo).sort() };
    };
    expect(await list()).toEqual({ source: 'rule', members: ruleList(90) });
    const quiet = { ...defaults, silenceDays: { low: 30, medium: 60, high: 120 } };
    const put = await t.call(admin, 'PUT', '/api/crm/settings/churn', quiet);
    expect(put.body).toEqual({ settings: quiet, previous: defaults, recompute: { status: 'not_requested' } });
    expect(ruleList(120)).not.toEqual(ruleList(90));
    expect(await list()).toEqual({ source: 'rule', members: ruleList(120) });
    const [a] = await t.auditRows('request_id = ?', [put.requestId]);
    expect(det(a.detail)).toEqual({ old: defaults, new: quiet });

    // With recompute=true the scores are computed now (a small chain: inside the request).
    const scored = await t.call(admin, 'PUT', '/api/crm/settings/churn?recompute=true', defaults);
    expect(scored.body.recompute.status).toBe('done');
    const modelHigh = async () => {
      const r = await t.call(t.tokens.hq, 'GET', '/api/crm/insights/churn?limit=100&level=high');
      expect(r.body.source).toBe('model');
      return r.body.entries as { memberNo: string; risk: number; level: string }[];
    };
    // Who the list must show at a given cut-off, from the stored risks (which the levels do not change).
    const atRisk = async (high: number) =>
      (
        await t.env.services.sql.query<any[]>(
          `SELECT m.member_no FROM member_scores s JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = m.id
           WHERE m.status = 'active' AND ms.order_count > 0 AND ms.last_order_at > ? - INTERVAL 365 DAY AND s.churn_risk >= ? ORDER BY m.member_no`,
          [NOW, high],
        )
      )[0].map((r: any) => r.member_no);
    const before = await modelHigh();
    expect(before.map((e) => e.memberNo).sort()).toEqual(await atRisk(0.7));
    // The highest risk below 0.7 among the members the list can show becomes the new cut-off: more members are high risk.
    const [below] = await t.env.services.sql.query<any[]>(
      `SELECT MAX(s.churn_risk) AS r FROM member_scores s JOIN members m ON m.id = s.member_id JOIN member_stats ms ON ms.member_id = m.id
       WHERE m.status = 'active' AND ms.order_count > 0 AND ms.last_order_at > ? - INTERVAL 365 DAY AND s.churn_risk < 0.7 AND s.churn_risk > 0.4`,
      [NOW],
    );
    const lower = Number(below[0].r);
    expect(lower).toBeGreaterThan(0.4);
    const relevel = await t.call(admin, 'PUT', '/api/crm/settings/churn?recompute=true', { ...defaults, levels: { high: lower, medium: 0.4 } });
    expect(relevel.status).toBe(200);
    const after = await modelHigh();
    expect(after.map((e) => e.memberNo).sort()).toEqual(await atRisk(lower));
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.every((e) => e.level === 'high' && e.risk >= lower)).toBe(true);
    await t.call(admin, 'PUT', '/api/crm/settings/churn', defaults);
  });

  it('audit log: newest first, paged, filtered by actor, action prefix, member, target and time', async () => {
    const memberId = t.fx.memberIds.M00000003!;
    await t.call(t.tokens.manager1, 'GET', `/api/crm/customers/${memberId}`); // audited member.summary
    // Rows at known times (the app's clock is fixed at NOW).
    const at = (d: number) => new Date(NOW.getTime() - d * DAY);
    await t.env.services.sql.query(
      "INSERT INTO audit_logs (actor_type, actor_id, action, target_type, target_id, channel, detail, created_at) VALUES ('staff', 'old_actor', 'tags.probe', 'tag', '1', 'api', NULL, ?), ('staff', 'old_actor', 'tag.add', 'member', ?, 'api', NULL, ?)",
      [at(10), String(memberId), at(5)],
    );

    const all = await t.call(admin, 'GET', '/api/crm/audit-logs?pageSize=100');
    expect(all.status).toBe(200);
    const [[{ n }]] = await t.env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM audit_logs');
    expect(all.body.total).toBe(Number(n) - 1); // every row but this read's own audit, written after the count
    const times = all.body.items.map((r: any) => `${r.createdAt}#${String(r.id).padStart(10, '0')}`);
    expect(times).toEqual([...times].sort().reverse());
    const page2 = await t.call(admin, 'GET', '/api/crm/audit-logs?pageSize=5&page=2&actor=admin_01');
    const page1 = await t.call(admin, 'GET', '/api/crm/audit-logs?pageSize=5&page=1&actor=admin_01');
    expect(page1.body.items).toHaveLength(5);
    const onBoth = page1.body.items.filter((r: any) => page2.body.items.some((x: any) => x.id === r.id));
    expect(onBoth).toEqual([]);
    expect([...page1.body.items, ...page2.body.items].every((r: any) => r.actorId === 'admin_01')).toBe(true);

    const byPrefix = await t.call(admin, 'GET', '/api/crm/audit-logs?action=tag&pageSize=100');
    const actions = new Set(byPrefix.body.items.map((r: any) => r.action));
    expect(actions.has('tag.rule.create') && actions.has('tag.rule.run') && actions.has('tag.add')).toBe(true);
    expect([...actions].every((a) => a === 'tag' || (a as string).startsWith('tag.'))).toBe(true); // never tags.probe
    const [[{ k }]] = await t.env.services.sql.query<any[]>("SELECT COUNT(*) AS k FROM audit_logs WHERE action = 'tag' OR action LIKE 'tag.%'");
    expect(byPrefix.body.total).toBe(Number(k));
    const exact = await t.call(admin, 'GET', '/api/crm/audit-logs?action=settings.churn.set');
    expect(exact.body.items.length).toBeGreaterThan(0);
    expect(exact.body.items.every((r: any) => r.action === 'settings.churn.set' && r.detail.old && r.detail.new)).toBe(true);

    const member = await t.call(admin, 'GET', `/api/crm/audit-logs?memberId=${memberId}`);
    expect(member.body.items.map((r: any) => [r.action, r.targetType, r.targetId])).toEqual([
      ['member.summary', 'member', String(memberId)],
      ['tag.add', 'member', String(memberId)],
    ]);
    const target = await t.call(admin, 'GET', '/api/crm/audit-logs?targetType=setting&targetId=points.expiry');
    expect(target.body.items.map((r: any) => r.action)).toEqual(['points.expiry.set']);

    const window = await t.call(admin, 'GET', `/api/crm/audit-logs?from=${at(12).toISOString()}&to=${at(7).toISOString()}`);
    expect(window.body.items.map((r: any) => r.action)).toEqual(['tags.probe']);
    const day = await t.call(admin, 'GET', `/api/crm/audit-logs?actor=old_actor&from=2026-11-16&to=2026-11-16`);
    expect(day.body.items.map((r: any) => r.action)).toEqual(['tag.add']);

    for (const q of ['from=yesterday', 'action=Tag%20Add', 'memberId=abc', `from=${NOW.toISOString()}&to=${at(1).toISOString()}`]) {
      const r = await t.call(admin, 'GET', `/api/crm/audit-logs?${q}`);
      expect([q, r.status, r.body.error.code]).toEqual([q, 400, 'invalid_request']);
    }
    // Reading the log is audited too.
    expect((await t.auditRows("action = 'audit.list' AND request_id = ?", [window.requestId])).length).toBe(1);
  });
});
