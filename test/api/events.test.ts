import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTriggers } from '../../src/crm/automation/index.ts';
import { eventInputSchema, recordMemberEvent } from '../../src/crm/lifecycle/index.ts';
import { journeyDeps } from '../../src/jobs/journey-deps.ts';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/**
 * POST /api/crm/events and /events/batch on the real database: append-only behaviour
 * events, idempotent on eventId (a replay answers the first answer, another body a 409), bad
 * input named per field with nothing written, per-event batch results, the event condition of
 * segments (counted against an expectation computed here from the events sent), and journeys
 * enrolled once per event — also through the deprecated /journeys/events alias.
 */
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY).toISOString();

describe('admin API: behaviour events', () => {
  let t: ApiTestEnv;
  const q = async (query: string, params: unknown[] = []) => (await t.env.services.sql.query<RowDataPacket[]>(query, params))[0];
  const eventCount = async () => Number((await q('SELECT COUNT(*) AS n FROM member_events'))[0]!.n);
  const M = (no: string) => t.fx.memberIds[no]!;

  beforeAll(async () => {
    t = await createApiTestEnv('api_events', { JOURNEY_QUIET_HOURS: 'off' }, { now: () => NOW });
    await q("UPDATE members SET openid = 'oMP-0003' WHERE member_no = 'M00000003'");
  });
  afterAll(async () => t?.cleanup());

  const view = (over: Record<string, unknown> = {}) => ({ eventId: 'EV-1', phone: '138 0000 0001', type: 'product_viewed', occurredAt: '2026-11-21T11:00:00+08:00', source: 'miniprogram', data: { productId: 'D-001', productName: '水煮鱼' }, ...over });

  it('records an event once: the same request again is a replay, another body under its eventId a 409', async () => {
    const first = await t.call(t.tokens.hq, 'POST', '/api/crm/events', view());
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(Number), eventId: 'EV-1', type: 'product_viewed', memberId: M('M00000001'), memberNo: 'M00000001', ref: 'D-001', occurredAt: '2026-11-21T03:00:00.000Z' });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const [row] = await q('SELECT member_id, type, ref, occurred_at, data, source FROM member_events WHERE event_id = ?', ['EV-1']);
    expect(row).toMatchObject({ member_id: M('M00000001'), type: 'product_viewed', ref: 'D-001', source: 'miniprogram' });
    expect(new Date(row!.occurred_at).toISOString()).toBe('2026-11-21T03:00:00.000Z');
    expect(typeof row!.data === 'string' ? JSON.parse(row!.data) : row!.data).toEqual({ productId: 'D-001', productName: '水煮鱼' });

    // The same instant written in Z, keys in another order: the same request.
    const again = await t.call(t.tokens.hq, 'POST', '/api/crm/events', { ...view({ occurredAt: '2026-11-21T03:00:00Z' }), data: { productName: '水煮鱼', productId: 'D-001' } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const other = await t.call(t.tokens.hq, 'POST', '/api/crm/events', view({ data: { productId: 'D-002' } }));
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'event_conflict', issues: [{ path: ['eventId'] }] });
    expect(await eventCount()).toBe(1);
  });

  it('names the member by memberNo or openid as well, within the caller’s stores', async () => {
    const byNo = await t.call(t.tokens.manager1, 'POST', '/api/crm/events', { eventId: 'EV-NO', memberNo: 'M00000004', type: 'activity_registered', occurredAt: at(1), data: { activityId: 'A-7', activityName: '中秋品鉴会' } });
    expect(byNo.status).toBe(201);
    expect(byNo.body).toMatchObject({ memberId: M('M00000004'), ref: 'A-7' });
    const byOpenid = await t.call(t.tokens.hq, 'POST', '/api/crm/events', { eventId: 'EV-OID', openid: 'oMP-0003', type: 'form_submitted', occurredAt: at(2), data: { formId: 'F-1', fields: { q1: '辣', score: 5, again: true } } });
    expect(byOpenid.status).toBe(201);
    expect(byOpenid.body).toMatchObject({ memberId: M('M00000003'), ref: 'F-1' });
    // A store manager of S1 does not see a member of S2: as if there were none.
    const before = await eventCount();
    const other = await t.call(t.tokens.manager1, 'POST', '/api/crm/events', { eventId: 'EV-S2', memberId: M('M00000002'), type: 'coupon_redeemed', occurredAt: at(1), data: { couponCode: 'C-1' } });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('member_not_found');
    // An agent may not record events.
    expect((await t.call(t.tokens.agent, 'POST', '/api/crm/events', { eventId: 'EV-AG', memberId: M('M00000001'), type: 'custom', occurredAt: at(1), data: { name: 'x' } })).status).toBe(403);
    expect(await eventCount()).toBe(before);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await eventCount();
    const base = { eventId: 'EV-BAD', memberId: M('M00000001'), type: 'product_viewed', occurredAt: at(1), data: { productId: 'D-001' } };
    const cases: [Record<string, unknown>, number, string, string[]][] = [
      [{ ...base, eventId: 'has space' }, 422, 'validation_failed', ['eventId']],
      [{ ...base, eventId: 'x'.repeat(65) }, 422, 'validation_failed', ['eventId']],
      [{ ...base, memberId: undefined }, 422, 'validation_failed', ['memberId']],
      [{ ...base, phone: '13800000001' }, 422, 'validation_failed', ['phone']],
      [{ ...base, occurredAt: '2026-11-21 11:00:00' }, 422, 'validation_failed', ['occurredAt']],
      [{ ...base, occurredAt: '2026-11-21T11:00:00' }, 422, 'validation_failed', ['occurredAt']],
      [{ ...base, type: 'page_viewed' }, 422, 'validation_failed', ['type']],
      [{ ...base, data: {} }, 422, 'validation_failed', ['data', 'productId']],
      [{ ...base, data: { productId: 'D-001', price: 3 } }, 422, 'validation_failed', ['data']],
      [{ ...base, type: 'activity_registered', data: { productId: 'D-001' } }, 422, 'validation_failed', ['data', 'activityId']],
      [{ ...base, type: 'custom', data: { name: 'Big Event' } }, 422, 'validation_failed', ['data', 'name']],
      [{ ...base, type: 'custom', data: { name: 'quiz', props: { answer: 'x'.repeat(2100) } } }, 422, 'validation_failed', ['data', 'props']],
      [{ ...base, type: 'form_submitted', data: { formId: 'F', fields: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`q${i}`, 1])) } }, 422, 'validation_failed', ['data', 'fields']],
      [{ ...base, source: 'Mini Program' }, 422, 'validation_failed', ['source']],
      [{ ...base, extra: 1 }, 422, 'validation_failed', []],
      [{ ...base, occurredAt: new Date(NOW.getTime() + 3_600_000).toISOString() }, 400, 'invalid_event', ['occurredAt']],
      [{ ...base, memberId: undefined, phone: '12345' }, 400, 'invalid_phone', ['phone']],
      [{ ...base, memberId: undefined, memberNo: 'X1' }, 400, 'invalid_member', ['memberNo']],
      [{ ...base, memberId: 999_999 }, 404, 'member_not_found', []],
    ];
    for (const [body, status, code, path] of cases) {
      const r = await t.call(t.tokens.hq, 'POST', '/api/crm/events', body);
      expect({ body, status: r.status, code: r.body.error?.code }).toEqual({ body, status, code });
      expect(r.body.error.requestId).toBe(r.requestId);
      if (path.length) expect(r.body.error.issues.map((i: { path: unknown[] }) => i.path.map(String))).toContainEqual(path);
    }
    // A custom event's props up to the limit are fine.
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/events', { ...base, eventId: 'EV-CUSTOM', type: 'custom', data: { name: 'quiz.done', props: { answer: 'x'.repeat(1900) } } })).status).toBe(201);
    expect(await eventCount()).toBe(before + 1);
  });

  it('records a batch event by event: the good ones land, each failure answers as a single call would', async () => {
    const before = await eventCount();
    const r = await t.call(t.tokens.hq, 'POST', '/api/crm/events/batch', {
      events: [
        { eventId: 'B-1', memberId: M('M00000005'), type: 'group_joined', occurredAt: at(3), data: { groupId: 'wrOgAA1', groupName: '老客福利群' } },
        view(), // EV-1 again, the same body: a replay
        view({ data: { productId: 'D-009' } }), // EV-1 with another body
        { eventId: 'B-4', memberId: M('M00000005'), type: 'group_joined', occurredAt: 'yesterday', data: {} },
        { eventId: 'B-5', memberId: 999_999, type: 'staff_added', occurredAt: at(1), data: {} },
        'not an event',
        { eventId: 'B-7', memberId: M('M00000006'), type: 'coupon_redeemed', occurredAt: at(1), data: { couponCode: 'WELCOME-10', orderNo: 'POS-77' } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ recorded: 2, replayed: 1, failed: 4 });
    expect(r.body.results.map((x: { index: number; eventId: string | null; status: number; error?: { code: string } }) => [x.index, x.eventId, x.status, x.error?.code ?? null])).toEqual([
      [0, 'B-1', 201, null],
      [1, 'EV-1', 201, null],
      [2, 'EV-1', 409, 'event_conflict'],
      [3, 'B-4', 422, 'validation_failed'],
      [4, 'B-5', 404, 'member_not_found'],
      [5, null, 422, 'validation_failed'],
      [6, 'B-7', 201, null],
    ]);
    expect(r.body.results[3].error.issues[0].path).toEqual(['occurredAt']);
    expect(r.body.results[1]).toMatchObject({ replayed: true, event: { eventId: 'EV-1', ref: 'D-001' } });
    expect(r.body.results[6]).toMatchObject({ replayed: false, event: { memberId: M('M00000006'), ref: 'WELCOME-10' } });
    expect(await eventCount()).toBe(before + 2);

    const tooMany = await t.call(t.tokens.hq, 'POST', '/api/crm/events/batch', { events: Array.from({ length: 1001 }, () => view()) });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.issues[0].path).toEqual(['events']);
  });

  it('counts a segment with an event condition as the events sent say, in preview, count and run', async () => {
    // Product views spread over members, products and days; the expectation is counted here from this list.
    const members = ['M00000001', 'M00000003', 'M00000004', 'M00000005', 'M00000006', 'M00000007', 'M00000012'];
    const sent: { member: string; product: string; daysAgo: number }[] = [];
    members.forEach((no, i) => {
      for (let k = 0; k < i + 1; k++) sent.push({ member: no, product: 'D-100', daysAgo: 2 + k * 7 }); // 1..7 views, every 7 days
      sent.push({ member: no, product: 'D-200', daysAgo: 1 });
    });
    sent.push({ member: 'M00000002', product: 'D-100', daysAgo: 1 }, { member: 'M00000002', product: 'D-100', daysAgo: 2 }, { member: 'M00000002', product: 'D-100', daysAgo: 3 });
    const batch = await t.call(t.tokens.hq, 'POST', '/api/crm/events/batch', {
      events: sent.map((e, i) => ({ eventId: `SEG-${i}`, memberNo: e.member, type: 'product_viewed', occurredAt: at(e.daysAgo), data: { productId: e.product } })),
    });
    expect(batch.body.failed).toBe(0);

    const expected = (product: string, min: number, days: number, stores: 'all' | 'S1') =>
      new Set(
        Object.entries(
          sent
            .filter((e) => e.product === product && e.daysAgo < days)
            .reduce<Record<string, number>>((n, e) => ({ ...n, [e.member]: (n[e.member] ?? 0) + 1 }), {}),
        )
          .filter(([no, n]) => n >= min && (stores === 'all' || no !== 'M00000002'))
          .map(([no]) => no),
      ).size;
    const root = { event: 'product_viewed', ref: 'D-100', min: 3, days: 30 };
    const want = expected('D-100', 3, 30, 'all');
    expect(want).toBeGreaterThan(1);
    expect(want).toBeLessThan(members.length + 1);

    const preview = await t.call(t.tokens.hq, 'POST', '/api/crm/segments/preview', { tree: { version: 1, root } });
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(want);
    // The store manager of S1 counts within S1 only.
    expect((await t.call(t.tokens.manager1, 'POST', '/api/crm/segments/preview', { tree: { version: 1, root } })).body.count).toBe(expected('D-100', 3, 30, 'S1'));
    // The complement: everyone else in scope.
    const neg = await t.call(t.tokens.hq, 'POST', '/api/crm/segments/preview', { tree: { version: 1, root: { not: root } } });
    expect(neg.body.count).toBe(preview.body.total - want);
    // Once ever, any product: every member who viewed something.
    const any = await t.call(t.tokens.hq, 'POST', '/api/crm/segments/preview', { tree: { version: 1, root: { event: 'product_viewed' } } });
    expect(any.body.count).toBe(new Set([...sent.map((e) => e.member), 'M00000001']).size);

    // The chat's phrase for the same condition.
    const byPhrase = await t.call(t.tokens.hq, 'POST', '/api/crm/segments/preview', { phrase: '浏览过 D-100 至少 3 次 最近30天' });
    expect(byPhrase.body.count).toBe(want);

    const seg = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '常看D-100', tree: { version: 1, root }, visibility: 'global' });
    expect(seg.status).toBe(201);
    expect(seg.body.lastCount).toBe(want);
    // Three more views of D-100 by the one member who had none in the window: the dynamic segment's run picks them up.
    const newcomer = await t.call(t.tokens.hq, 'POST', '/api/crm/events/batch', {
      events: [1, 2, 3].map((d) => ({ eventId: `SEG-NEW-${d}`, memberNo: 'M00000008', type: 'product_viewed', occurredAt: at(d), data: { productId: 'D-100' } })),
    });
    expect(newcomer.body.recorded).toBe(3);
    const run = await t.call(t.tokens.hq, 'POST', `/api/crm/segments/${seg.body.id}/run`);
    expect(run.body).toMatchObject({ count: want + 1, joined: 1, left: 0 });

    // A malformed event condition is a 422 naming the node.
    const bad = await t.call(t.tokens.hq, 'POST', '/api/crm/segments/preview', { tree: { version: 1, root: { and: [{ tag: 'VIP' }, { event: 'product_viewed', min: 0 }] } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toEqual(['tree', 'root', 'and', 1, 'min']);
    const unknown = await t.call(t.tokens.hq, 'POST', '/api/crm/segments/preview', { tree: { version: 1, root: { event: 'page_viewed' } } });
    expect(unknown.body.error.issues[0].path).toEqual(['tree', 'root', 'event']);
  });

  it('enrols a member in the journeys an event triggers, once per event, also through the /journeys/events alias', async () => {
    const journey = async (name: string, trigger: object) => {
      const j = await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys', { name, definition: { trigger, steps: [{ id: 'done', type: 'exit' }] } });
      expect(j.status).toBe(201);
      expect((await t.call(t.tokens.marketer, 'POST', `/api/crm/journeys/${j.body.id}/activate`)).status).toBe(200);
      return j.body.id as number;
    };
    const registered = await journey('报名A-8的会员', { type: 'member_event', eventType: 'activity_registered', ref: 'A-8' });
    const browsed = await journey('看过D-300', { type: 'product_browsed', productId: 'D-300' });
    const joined = await journey('进群', { type: 'wecom_joined', kind: 'group' });
    const enrolments = async (journeyId: number) => (await q('SELECT member_id, dedupe_key FROM journey_enrollments WHERE journey_id = ? ORDER BY id', [journeyId])).map((r) => [Number(r.member_id), String(r.dedupe_key)]);

    const reg = { eventId: 'J-1', memberNo: 'M00000007', type: 'activity_registered', occurredAt: at(0.5), data: { activityId: 'A-8' } };
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/events', reg)).status).toBe(201);
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/events', reg)).status).toBe(201); // replay
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/events/batch', { events: [reg, reg] })).body.replayed).toBe(2);
    // Another activity does not match the journey's ref.
    await t.call(t.tokens.hq, 'POST', '/api/crm/events', { ...reg, eventId: 'J-2', data: { activityId: 'A-9' } });
    const regRows = await enrolments(registered);
    expect(regRows).toHaveLength(1);
    expect(regRows[0]![0]).toBe(M('M00000007'));
    expect(regRows[0]![1]).toContain('ev:J-1');

    await t.call(t.tokens.hq, 'POST', '/api/crm/events', { eventId: 'J-3', memberNo: 'M00000007', type: 'product_viewed', occurredAt: at(0.2), data: { productId: 'D-300' } });
    await t.call(t.tokens.hq, 'POST', '/api/crm/events', { eventId: 'J-4', memberNo: 'M00000007', type: 'group_joined', occurredAt: at(0.1), data: { groupId: 'wrOgAA2' } });
    expect(await enrolments(browsed)).toHaveLength(1);
    expect(await enrolments(joined)).toHaveLength(1);

    // An enrolment the call after the write missed (here the intake ran without the journey
    // engine) is caught up by the trigger sweep, once; the events enrolled already are not again.
    const access = { services: t.env.services, actor: t.fx.staff.hq, channel: 'console' as const, requestId: 'events-sweep' };
    const input = eventInputSchema.parse({ eventId: 'J-5', memberNo: 'M00000004', type: 'activity_registered', occurredAt: at(0.1), data: { activityId: 'A-8' } });
    expect((await recordMemberEvent(access, input, {})).enrolled).toBe(0);
    expect((await enrolments(registered)).map(([m]) => m)).toEqual([M('M00000007')]);
    const swept = await scanTriggers(journeyDeps(t.env.services));
    expect(swept.member_event).toBe(1);
    expect((await enrolments(registered)).map(([m]) => m)).toEqual([M('M00000007'), M('M00000004')]);
    expect((await scanTriggers(journeyDeps(t.env.services))).member_event).toBeUndefined();

    // The deprecated alias records the event (one code path) and enrols exactly once.
    const member = M('M00000012');
    const ev = { type: 'product_browsed', memberId: member, occurrence: 'view-42', data: { productId: 'D-300' } };
    const first = await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/events', ev);
    expect(first.body).toEqual({ enrolled: 1 });
    expect((await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/events', ev)).body).toEqual({ enrolled: 0 });
    expect((await enrolments(browsed)).filter(([m]) => m === member)).toHaveLength(1);
    const [stored] = await q("SELECT type, ref FROM member_events WHERE member_id = ? AND event_id LIKE 'jrn-%'", [member]);
    expect(stored).toMatchObject({ type: 'product_viewed', ref: 'D-300' });
    // product_browsed without a product cannot become an event: 422 naming it.
    const noProduct = await t.call(t.tokens.marketer, 'POST', '/api/crm/journeys/events', { type: 'product_browsed', memberId: member, occurrence: 'view-43' });
    expect(noProduct.status).toBe(422);
    expect(noProduct.body.error.issues[0].path).toEqual(['data', 'productId']);
  });

  it('moves a member’s events with a merge and deletes them with an erasure', async () => {
    const dup = M('M00000010');
    const survivor = M('M00000009');
    await t.call(t.tokens.hq, 'POST', '/api/crm/events', { eventId: 'MV-1', memberId: dup, type: 'custom', occurredAt: at(1), data: { name: 'lucky_draw' } });
    const merged = await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${survivor}/merge`, { mergedId: dup });
    expect(merged.status).toBe(200);
    expect(merged.body.moved.events).toBe(1);
    expect((await q("SELECT member_id FROM member_events WHERE event_id = 'MV-1'"))[0]!.member_id).toBe(survivor);
    const erased = await t.call(t.tokens.hq, 'POST', `/api/crm/customers/${survivor}/erase`, { reason: '用户申请注销' });
    expect(erased.status).toBe(200);
    expect(await q('SELECT id FROM member_events WHERE member_id = ?', [survivor])).toEqual([]);
  });
});
