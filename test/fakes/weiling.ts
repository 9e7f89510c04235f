/**
 * A fake 卫瓴·协同CRM open API for tests and the sync benchmark, speaking the wire format of
 * src/integrations/weiling/ (docs/sync.md): `{code, msg, data}` envelopes, `access_token` as a
 * query parameter (token from GET /openapi/token), contacts (create, batch, edit, discard, lookup
 * by contact way, query by update time), the third-party id mapping, object tags, the journey
 * timeline (9.1 创建旅程-新版, and a list by contact) and follow-up records (create, list). Code 42001 answers an expired token.
 *
 * Faults, for the tests and the benchmark:
 *   fail5xx(n)        the next n calls answer HTTP 500 (nothing applied)
 *   timeouts(n)       the next n calls are applied, then never answered (the client times out)
 *   expireTokens()    every token issued so far is expired (42001 on its next use)
 *   rateLimited(n)    the next n calls answer 45009 (too many calls; nothing applied)
 *   randomFaults({ p5xx, pTimeout })  each call fails so at random (the benchmark)
 * `onApply(path, body)` is told of every call applied (the benchmark times end-to-end lag by it).
 * A "UI edit" (editInUi) changes a contact as a person would in 卫瓴 and returns the callback
 * envelope to post; duplicates and out-of-order deliveries are made by posting envelopes again
 * or in another order.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeContact {
  contact_id: string;
  user_name: string;
  contact_ways: { type: number; contact_way: string }[];
  gender: number;
  tags: Set<string>;
  contact_custom: Record<string, string | null>;
  update_time: number;
  discarded: boolean;
}

export interface FakeWeiling {
  url: string;
  appId: string;
  appSecret: string;
  contacts: Map<string, FakeContact>;
  thirdIds: Map<string, string>;
  /** Timeline entries and follow-ups as received, in order (duplicates kept: the benchmark counts them). */
  timeline: { contactId: string; key: string; kind: string; title: string; content: string }[];
  calls: { path: string; status: number; body?: any }[];
  tokensIssued: number;
  fail5xx(n: number): void;
  timeouts(n: number, path?: string): void;
  expireTokens(): void;
  rateLimited(n: number): void;
  randomFaults(f: { p5xx: number; pTimeout: number }): void;
  editInUi(contactId: string, change: { user_name?: string; gender?: number; custom?: Record<string, string | null>; addTags?: string[]; removeTags?: string[] }): Envelope;
  envelope(eventType: string, event: Record<string, unknown>, timeStamp?: number): Envelope;
  close(): Promise<void>;
}

export interface Envelope {
  header: { event_type: string; time_stamp: string; to_app: string };
  event: Record<string, unknown>;
}

/** Our key at the end of an entry's content (src/integrations/weiling/connector.ts keyMark). */
const keyOf = (content: string) => /#crm:(\S+)$/.exec(String(content ?? ''))?.[1] ?? '';

const wire = (c: FakeContact) => ({
  contact_id: c.contact_id,
  user_name: c.user_name,
  contact_ways: c.contact_ways,
  gender: c.gender,
  status: c.discarded ? 1 : 0,
  tag_group_list: [{ group_name: 'crm', tag_info: [...c.tags].map((t) => ({ tag_name: t })) }],
  contact_custom: c.contact_custom,
  update_time: c.update_time,
});

export async function startFakeWeiling(opts: { appId?: string; appSecret?: string; tokenTtlS?: number; onApply?: (path: string, body: any) => void } = {}): Promise<FakeWeiling> {
  const appId = opts.appId ?? 'wloa_test_app';
  const appSecret = opts.appSecret ?? 'secret';
  const contacts = new Map<string, FakeContact>();
  const thirdIds = new Map<string, string>();
  const timeline: FakeWeiling['timeline'] = [];
  const calls: FakeWeiling['calls'] = [];
  const tokens = new Map<string, boolean>();
  const hanging = new Set<ServerResponse>();
  let seq = 0;
  let fail = 0;
  let limited = 0;
  let hang = 0;
  let hangPath: string | undefined;
  let rnd = { p5xx: 0, pTimeout: 0 };
  let clock = Date.now();
  const tick = () => (clock = Math.max(clock + 1, Date.now()));
  let issued = 0;
  const byWay = new Map<string, Set<string>>();
  const indexWays = (id: string, ways: { contact_way: string }[] | undefined) => {
    for (const w of ways ?? []) byWay.set(w.contact_way, (byWay.get(w.contact_way) ?? new Set()).add(id));
  };
  const journeyOf = new Map<string, { history_id: string; title: string; content: string }[]>();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const ok = (data: unknown = {}) => ({ code: 0, msg: 'success', data });

  const handle = (path: string, body: any): unknown => {
    switch (path) {
      case '/openapi/contact/create': {
        const id = `wl_${++seq}`;
        contacts.set(id, { contact_id: id, user_name: body.user_name ?? '', contact_ways: body.contact_ways ?? [], gender: body.gender ?? 0, tags: new Set(body.tag_names ?? []), contact_custom: { ...(body.contact_custom ?? {}) }, update_time: tick(), discarded: false });
        indexWays(id, body.contact_ways);
        return ok({ contact_id: id });
      }
      case '/openapi/contact/edit': {
        const c = contacts.get(body.contact_id);
        if (!c) return { code: 60001, msg: 'contact not found' };
        if (body.user_name !== undefined) c.user_name = body.user_name;
        if (body.contact_ways !== undefined) (c.contact_ways = body.contact_ways), indexWays(c.contact_id, body.contact_ways);
        if (body.gender !== undefined) c.gender = body.gender;
        if (body.contact_custom) Object.assign(c.contact_custom, body.contact_custom);
        c.update_time = tick();
        return ok();
      }
      case '/openapi/contact/discard': {
        const c = contacts.get(body.contact_id);
        if (c) c.discarded = true;
        return ok();
      }
      case '/openapi/contact/batch':
        return ok({ contact_list: (body.contact_ids as string[]).flatMap((id) => (contacts.has(id) ? [wire(contacts.get(id)!)] : [])) });
      case '/openapi/contact/get_by_contact_way':
        // Through an index kept beside the contacts (a scan made the benchmark's first sync quadratic); the index is checked against the contact.
        return ok({ contact_ids: [...(byWay.get(String(body.contact_way)) ?? [])].filter((id) => contacts.get(id)?.contact_ways.some((w) => w.contact_way === body.contact_way)) });
      case '/openapi/contact/query': {
        const [t, id] = String(body.cursor || '0:').split(':');
        const all = [...contacts.values()].sort((a, b) => a.update_time - b.update_time || a.contact_id.localeCompare(b.contact_id)).filter((c) => c.update_time > Number(t) || (c.update_time === Number(t) && c.contact_id > (id ?? '')));
        const page = all.slice(0, Number(body.page_size) || 100);
        const last = page[page.length - 1];
        return ok({ contact_list: page.map(wire), next_cursor: last ? `${last.update_time}:${last.contact_id}` : body.cursor || '', has_more: all.length > page.length });
      }
      case '/openapi/third/thirdid_to_innerid':
        return ok({ success_list: (body.third_ids as string[]).filter((t) => thirdIds.has(t)).map((t) => ({ third_id: t, inner_user_id: thirdIds.get(t) })), fail_list: (body.third_ids as string[]).filter((t) => !thirdIds.has(t)) });
      case '/openapi/third/add_thirdid':
        thirdIds.set(body.third_id, body.inner_user_id);
        return ok();
      case '/openapi/tag/object_tag_update': {
        const c = contacts.get(body.object_id);
        if (!c) return { code: 60001, msg: 'contact not found' };
        for (const t of body.add_tag_names ?? []) c.tags.add(t);
        for (const t of body.remove_tag_names ?? []) c.tags.delete(t);
        c.update_time = tick();
        return ok();
      }
      case '/openapi/v2/event/create': {
        // 9.1 创建旅程-新版: no id of the caller's, no deduplication (an entry sent twice is there twice).
        const c = contacts.get(body.id);
        if (!c) return { code: 60001, msg: 'contact not found' };
        const success_list = (body.event_list as { index: number; title: string; content: string; create_time: number }[]).map((e) => {
          timeline.push({ contactId: body.id, key: keyOf(e.content), kind: 'journey', title: e.title, content: e.content });
          journeyOf.set(body.id, [...(journeyOf.get(body.id) ?? []), { history_id: `h_${timeline.length}`, title: e.title, content: e.content }]);
          return { index: e.index, history_id: `h_${timeline.length}` };
        });
        return ok({ success_list, fail_list: [] });
      }
      case '/openapi/v2/event/list':
        return ok({ event_list: journeyOf.get(body.id) ?? [] });
      case '/openapi/progress/create':
        timeline.push({ contactId: body.business_related_id, key: keyOf(body.content), kind: 'progress', title: body.content, content: body.content });
        return ok({ progress_id: `p_${timeline.length}` });
      case '/openapi/progress/list':
        return ok({ progress_list: timeline.filter((e) => e.kind === 'progress' && e.contactId === body.business_related_id).map((e, i) => ({ progress_id: `p_${i}`, content: e.content })) });
      default:
        return null;
    }
  };

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = url.pathname;
    if (fail > 0 || Math.random() < rnd.p5xx) {
      if (fail > 0) fail--;
      calls.push({ path, status: 500 });
      return json(res, 500, { code: -1, msg: 'internal error' });
    }
    const hangHere = hang > 0 && path !== '/openapi/token' && (!hangPath || hangPath === path);
    const timeout = hangHere || (path !== '/openapi/token' && Math.random() < rnd.pTimeout);
    if (hangHere) hang--;
    if (path === '/openapi/token') {
      if (url.searchParams.get('app_id') !== appId || url.searchParams.get('app_secret') !== appSecret) return json(res, 200, { code: 40001, msg: 'invalid credential' });
      const t = `tok_${++issued}`;
      tokens.set(t, true);
      calls.push({ path, status: 200 });
      return json(res, 200, ok({ access_token: t, expires_in: opts.tokenTtlS ?? 7200 }));
    }
    const t = url.searchParams.get('access_token') ?? '';
    if (!tokens.get(t)) {
      calls.push({ path, status: 200 });
      return json(res, 200, { code: 42001, msg: 'access_token expired' });
    }
    if (limited > 0) {
      limited--;
      calls.push({ path, status: 200 });
      return json(res, 200, { code: 45009, msg: 'api freq out of limit' });
    }
    let body: unknown = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return json(res, 200, { code: 40003, msg: 'invalid json' });
    }
    const out = handle(path, body);
    calls.push({ path, status: out ? 200 : 404, body });
    // The benchmark's clock of "applied on the other side" (also for writes whose answer is lost).
    if (out && (out as { code?: number }).code === 0) opts.onApply?.(path, body);
    if (timeout) {
      // Applied, never answered: the worst case of a timeout (the client must not duplicate on retry).
      hanging.add(res);
      return;
    }
    if (!out) return json(res, 404, { code: 404, msg: 'no such api' });
    json(res, 200, out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  const envelope = (eventType: string, event: Record<string, unknown>, timeStamp = tick()): Envelope => ({ header: { event_type: eventType, time_stamp: String(timeStamp), to_app: appId }, event });

  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    contacts,
    thirdIds,
    timeline,
    calls,
    get tokensIssued() {
      return issued;
    },
    fail5xx: (n) => void (fail = n),
    timeouts: (n, path) => {
      hang = n;
      hangPath = path;
    },
    expireTokens: () => {
      for (const k of tokens.keys()) tokens.set(k, false);
    },
    rateLimited: (n) => void (limited = n),
    randomFaults: (f) => void (rnd = f),
    editInUi(contactId, change) {
      const c = contacts.get(contactId)!;
      if (change.user_name !== undefined) c.user_name = change.user_name;
      if (change.gender !== undefined) c.gender = change.gender;
      if (change.custom) Object.assign(c.contact_custom, change.custom);
      for (const t of change.addTags ?? []) c.tags.add(t);
      for (const t of change.removeTags ?? []) c.tags.delete(t);
      c.update_time = tick();
      return envelope('contact_update', { contact_id: contactId }, c.update_time);
    },
    envelope,
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
