/**
 * 客户联系 routes of the fake qyapi (test/fakes/qyapi.ts registers them with one line), speaking
 * WeCom's wire format with its documented rules:
 *
 *   GET  /cgi-bin/externalcontact/get?external_userid=   → {external_contact, follow_user[]} (40096 unknown id)
 *   POST /cgi-bin/externalcontact/groupchat/get          {chat_id, need_name} → {group_chat{chat_id, name, owner, member_list[]}}
 *        (member_list[].name only with need_name 1; unionid only on external members that have one; 40050 unknown chat)
 *   POST /cgi-bin/externalcontact/get_corp_tag_list      {tag_id?, group_id?} → {tag_group[]} (group_id wins over tag_id)
 *   POST /cgi-bin/externalcontact/add_corp_tag           {group_name, tag:[{name}]} → {tag_group} (only the new tags)
 *   POST /cgi-bin/externalcontact/edit_corp_tag          {id, name}   (only tags this app created, else 301002)
 *   POST /cgi-bin/externalcontact/del_corp_tag           {tag_id[]}   (only tags this app created, else 301002)
 *   POST /cgi-bin/externalcontact/mark_tag               {userid, external_userid, add_tag, remove_tag}
 *        (84061 not that member's customer, 40068 unknown tag, 40058 both lists empty, at most 3000 tags per pair)
 *   POST /cgi-bin/externalcontact/add_contact_way        {type, scene, user[], state ≤ 30 chars} → {config_id, qr_code}
 *   POST /cgi-bin/externalcontact/transfer_customer      (在职继承) and .../resigned/transfer_customer (离职继承):
 *        ≤ 100 external_userid a call (else 40058); per customer errcode 40128 after 2 in-service transfers in 90 days,
 *        40129 while one is waiting, 84061 not the handover member's customer; resigned needs a resigned member (40097)
 *   POST /cgi-bin/externalcontact/transfer_result        and .../resigned/transfer_result {handover_userid, takeover_userid, cursor}
 *        → customer[{external_userid, status 1 接替完毕 / 2 等待接替 / 3 客户拒绝 / 4 接替成员客户达到上限, takeover_time}]
 *
 * Tests seed customers and corp tags made "in the WeCom console" (not this app's) and settle
 * transfers (the customer's 24 hours passing, or a refusal) through `contactsOf(options)`.
 * The codes 301002 (not this app's tag) and 40058 for the batch size are the fake's choice where
 * Tencent's page names the rule but not the code.
 */
import { randomBytes } from 'node:crypto';

type Reply = Record<string, unknown>;

export interface FakeFollow {
  userid: string;
  remark?: string;
  description?: string;
  createtime?: number;
  remark_mobiles?: string[];
  state?: string;
  /** Corp tag ids on this pair. */
  tagIds?: string[];
}

export interface FakeCustomer {
  external_userid: string;
  name: string;
  type?: number;
  unionid?: string;
  follow: FakeFollow[];
}

export interface FakeGroupMember {
  userid: string;
  /** 1 企业成员, 2 外部联系人. */
  type: 1 | 2;
  unionid?: string;
  name?: string;
  join_time?: number;
  /** 1 直接邀请, 2 邀请链接, 3 扫描群二维码. */
  join_scene?: number;
}

export interface FakeGroupChat {
  chat_id: string;
  name: string;
  owner: string;
  members: FakeGroupMember[];
}

interface CorpTag {
  id: string;
  name: string;
  groupId: string;
  groupName: string;
  /** Created through the API by this app (editable, deletable), not in the console. */
  byApp: boolean;
  deleted: boolean;
}

interface Transfer {
  kind: 'in_service' | 'resigned';
  handover: string;
  takeover: string;
  external: string;
  status: number;
  at: number;
}

export interface ContactsFake {
  customers: Map<string, FakeCustomer>;
  addCustomer(c: FakeCustomer): void;
  /** A corp tag created in the WeCom console (not by this app); returns its id. */
  consoleTag(groupName: string, name: string): string;
  corpTags(): { id: string; name: string; groupName: string; byApp: boolean; deleted: boolean }[];
  /** A tag renamed (or deleted) in the WeCom console. */
  consoleEdit(id: string, change: { name?: string; deleted?: boolean }): void;
  /** Staff members who have left the company (离职). */
  resigned: Set<string>;
  markTagCalls: { userid: string; external_userid: string; add_tag: string[]; remove_tag: string[] }[];
  contactWays: { config_id: string; state: string; user: string[] }[];
  transferCalls: { api: string; external_userid: string[] }[];
  transfers: Transfer[];
  /** The customer took over (1), refused (3) or the takeover member is full (4). */
  settleTransfer(external: string, status: 1 | 3 | 4): void;
  /** Past transfers of a customer (for the 90-day rule). */
  pastTransfer(external: string, daysAgo: number): void;
  /** Requests per API name. */
  requests: Map<string, number>;
  groupChats: Map<string, FakeGroupChat>;
  /** Errcodes groupchat/get answers next, one per call, before answering normally again. */
  groupChatErrors: number[];
}

/** The fake's 客户联系 state, one per fake server (keyed by its options object). */
const states = new WeakMap<object, ContactsFake>();

export function contactsOf(options: object): ContactsFake {
  let s = states.get(options);
  if (s) return s;
  const tags: CorpTag[] = [];
  const fake: ContactsFake = {
    customers: new Map(),
    addCustomer: (c) => void fake.customers.set(c.external_userid, c),
    consoleTag(groupName, name) {
      const group = tags.find((t) => t.groupName === groupName)?.groupId ?? `etG${randomBytes(6).toString('hex')}`;
      const id = `et${randomBytes(8).toString('hex')}`;
      tags.push({ id, name, groupId: group, groupName, byApp: false, deleted: false });
      return id;
    },
    corpTags: () => tags.map((t) => ({ id: t.id, name: t.name, groupName: t.groupName, byApp: t.byApp, deleted: t.deleted })),
    consoleEdit(id, change) {
      const t = tags.find((x) => x.id === id);
      if (t) Object.assign(t, change);
    },
    resigned: new Set(),
    markTagCalls: [],
    contactWays: [],
    transferCalls: [],
    transfers: [],
    settleTransfer(external, status) {
      for (const t of fake.transfers) if (t.external === external && t.status === 2) {
        t.status = status;
        if (status === 1) {
          const c = fake.customers.get(external);
          if (c) c.follow = [...c.follow.filter((f) => f.userid !== t.handover), { userid: t.takeover, createtime: Math.floor(Date.now() / 1000) }];
        }
      }
    },
    pastTransfer(external, daysAgo) {
      fake.transfers.push({ kind: 'in_service', handover: 'someone', takeover: 'someone_else', external, status: 1, at: Date.now() - daysAgo * 86_400_000 });
    },
    requests: new Map(),
    groupChats: new Map(),
    groupChatErrors: [],
  };
  (fake as unknown as { tags: CorpTag[] }).tags = tags;
  states.set(options, fake);
  s = fake;
  return s;
}

const err = (errcode: number, errmsg: string): Reply => ({ errcode, errmsg: `${errmsg}, hint: [fake-${randomBytes(4).toString('hex')}]` });
const ok = (more: Reply = {}): Reply => ({ errcode: 0, errmsg: 'ok', ...more });

const groupsOf = (tags: CorpTag[]) => {
  const groups = new Map<string, { group_id: string; group_name: string; tag: { id: string; name: string; order: number; deleted?: boolean }[] }>();
  for (const t of tags) {
    const g = groups.get(t.groupId) ?? { group_id: t.groupId, group_name: t.groupName, tag: [] };
    g.tag.push({ id: t.id, name: t.name, order: g.tag.length });
    groups.set(t.groupId, g);
  }
  return [...groups.values()];
};

/** Whether the fake answers this path (the line in qyapi.ts asks before calling contactsRoute). */
export const isContactsApi = (path: string) => /^\/cgi-bin\/externalcontact\/(get|groupchat\/get|get_corp_tag_list|add_corp_tag|edit_corp_tag|del_corp_tag|mark_tag|add_contact_way|transfer_customer|transfer_result|resigned\/transfer_customer|resigned\/transfer_result)$/.test(path);

/** One 客户联系 request; `badToken` is the fake's own token check (undefined when the token is good). */
export function contactsRoute(options: object, path: string, q: URLSearchParams, raw: string, badToken: Reply | undefined): Reply {
  const s = contactsOf(options);
  const api = path.slice('/cgi-bin/externalcontact/'.length);
  s.requests.set(api, (s.requests.get(api) ?? 0) + 1);
  if (badToken) return badToken;
  let body: Reply = {};
  if (raw) {
    try {
      body = JSON.parse(raw) as Reply;
    } catch {
      return err(47001, 'data format error');
    }
  }
  const tags = (s as unknown as { tags: CorpTag[] }).tags;
  const live = tags.filter((t) => !t.deleted);
  switch (api) {
    case 'get': {
      const c = s.customers.get(q.get('external_userid') ?? '');
      if (!c) return err(40096, 'invalid external userid');
      return ok({
        external_contact: { external_userid: c.external_userid, name: c.name, type: c.type ?? 1, ...(c.unionid ? { unionid: c.unionid } : {}) },
        follow_user: c.follow.map((f) => ({
          userid: f.userid,
          remark: f.remark ?? '',
          description: f.description ?? '',
          createtime: f.createtime ?? Math.floor(Date.now() / 1000),
          tags: (f.tagIds ?? []).flatMap((id) => {
            const t = tags.find((x) => x.id === id);
            return t ? [{ group_name: t.groupName, tag_name: t.name, tag_id: t.id, type: 1 }] : [];
          }),
          remark_mobiles: f.remark_mobiles ?? [],
          add_way: f.state ? 1 : 0,
          ...(f.state ? { state: f.state } : {}),
        })),
      });
    }
    case 'groupchat/get': {
      const failing = s.groupChatErrors.shift();
      if (failing !== undefined) return err(failing, failing === -1 ? 'system busy' : 'groupchat/get refused');
      const chat = s.groupChats.get(String(body.chat_id ?? ''));
      if (!chat) return err(40050, 'chatid not found');
      const withName = body.need_name === 1;
      return ok({
        group_chat: {
          chat_id: chat.chat_id,
          name: chat.name,
          owner: chat.owner,
          create_time: Math.floor(Date.now() / 1000),
          notice: '',
          member_list: chat.members.map((m) => ({
            userid: m.userid,
            type: m.type,
            ...(m.type === 2 && m.unionid ? { unionid: m.unionid } : {}),
            join_time: m.join_time ?? Math.floor(Date.now() / 1000),
            join_scene: m.join_scene ?? 1,
            ...(withName ? { name: m.name ?? '' } : {}),
          })),
          admin_list: [],
        },
      });
    }
    case 'get_corp_tag_list': {
      const groupIds = Array.isArray(body.group_id) ? (body.group_id as string[]) : [];
      const tagIds = Array.isArray(body.tag_id) ? (body.tag_id as string[]) : [];
      const pick = groupIds.length ? live.filter((t) => groupIds.includes(t.groupId)) : tagIds.length ? live.filter((t) => tagIds.includes(t.id)) : live;
      return ok({ tag_group: groupsOf(pick) });
    }
    case 'add_corp_tag': {
      const groupName = String(body.group_name ?? '');
      const names = Array.isArray(body.tag) ? (body.tag as { name?: unknown }[]).map((t) => String(t.name ?? '')) : [];
      if (!groupName || !names.length || names.some((n) => !n || n.length > 30)) return err(40058, 'invalid parameter');
      // 企业标签与规则组标签合计最多 10000 个.
      if (live.length + names.length > 10_000) return err(40058, 'corp tag limit exceeded');
      const groupId = live.find((t) => t.groupName === groupName)?.groupId ?? `etG${randomBytes(6).toString('hex')}`;
      const made = names.map((name) => ({ id: `et${randomBytes(8).toString('hex')}`, name, groupId, groupName, byApp: true, deleted: false }));
      tags.push(...made);
      return ok({ tag_group: { group_id: groupId, group_name: groupName, create_time: Math.floor(Date.now() / 1000), tag: made.map((t, i) => ({ id: t.id, name: t.name, create_time: Math.floor(Date.now() / 1000), order: i })) } });
    }
    case 'edit_corp_tag':
    case 'del_corp_tag': {
      const ids = api === 'edit_corp_tag' ? [String(body.id ?? '')] : Array.isArray(body.tag_id) ? (body.tag_id as string[]) : [];
      const hit = ids.map((id) => live.find((t) => t.id === id));
      if (!ids.length || hit.some((t) => !t)) return err(40068, 'invalid tagid');
      // 应用仅能编辑和删除本应用创建的标签
      if (hit.some((t) => !t!.byApp)) return err(301002, 'not allowed to operate a tag created by another app');
      for (const t of hit) api === 'edit_corp_tag' ? (t!.name = String(body.name ?? t!.name)) : (t!.deleted = true);
      return ok();
    }
    case 'mark_tag': {
      const c = s.customers.get(String(body.external_userid ?? ''));
      const f = c?.follow.find((x) => x.userid === body.userid);
      if (!c || !f) return err(84061, 'not external contact');
      const add = Array.isArray(body.add_tag) ? (body.add_tag as string[]) : [];
      const remove = Array.isArray(body.remove_tag) ? (body.remove_tag as string[]) : [];
      if (!add.length && !remove.length) return err(40058, 'add_tag and remove_tag are both empty');
      if ([...add, ...remove].some((id) => !live.some((t) => t.id === id))) return err(40068, 'invalid tagid');
      const next = [...new Set([...(f.tagIds ?? []).filter((id) => !remove.includes(id)), ...add])];
      // 每个成员对同一个客户最多可以添加3000个标签
      if (next.length > 3000) return err(40058, 'too many tags on this customer');
      f.tagIds = next;
      s.markTagCalls.push({ userid: String(body.userid), external_userid: c.external_userid, add_tag: add, remove_tag: remove });
      return ok();
    }
    case 'add_contact_way': {
      const state = String(body.state ?? '');
      const user = Array.isArray(body.user) ? (body.user as string[]) : [];
      if (state.length > 30 || body.type !== 1 || (body.scene !== 1 && body.scene !== 2) || user.length !== 1) return err(40058, 'invalid parameter');
      const config_id = randomBytes(16).toString('hex');
      s.contactWays.push({ config_id, state, user });
      return ok({ config_id, qr_code: `https://wework.qpic.cn/wwpic/${config_id}/0` });
    }
    case 'transfer_customer':
    case 'resigned/transfer_customer': {
      const kind = api === 'transfer_customer' ? 'in_service' : 'resigned';
      const ids = Array.isArray(body.external_userid) ? (body.external_userid as string[]) : [];
      s.transferCalls.push({ api, external_userid: ids });
      if (!ids.length || ids.length > 100) return err(40058, 'external_userid: at most 100 per call');
      const handover = String(body.handover_userid ?? '');
      if (kind === 'resigned' && !s.resigned.has(handover)) return err(40097, 'handover user not resigned');
      const since = Date.now() - 90 * 86_400_000;
      const customer = ids.map((id) => {
        const c = s.customers.get(id);
        if (!c || !c.follow.some((f) => f.userid === handover)) return { external_userid: id, errcode: 84061 };
        if (s.transfers.some((t) => t.external === id && t.status === 2)) return { external_userid: id, errcode: 40129 };
        if (kind === 'in_service' && s.transfers.filter((t) => t.external === id && t.kind === 'in_service' && t.at >= since).length >= 2) return { external_userid: id, errcode: 40128 };
        s.transfers.push({ kind, handover, takeover: String(body.takeover_userid ?? ''), external: id, status: 2, at: Date.now() });
        return { external_userid: id, errcode: 0 };
      });
      return ok({ customer });
    }
    case 'transfer_result':
    case 'resigned/transfer_result': {
      const kind = api === 'transfer_result' ? 'in_service' : 'resigned';
      const rows = s.transfers.filter((t) => t.kind === kind && t.handover === body.handover_userid && t.takeover === body.takeover_userid);
      const from = Number(body.cursor || 0);
      const pageRows = rows.slice(from, from + 1000);
      return ok({
        customer: pageRows.map((t) => ({ external_userid: t.external, status: t.status, takeover_time: t.status === 2 ? Math.floor((t.at + 86_400_000) / 1000) : t.status === 1 ? Math.floor(Date.now() / 1000) : 0 })),
        next_cursor: from + 1000 < rows.length ? String(from + 1000) : '',
      });
    }
  }
  return err(40058, 'invalid parameter');
}
