/**
 * WeCom 客户联系 mass message to one external contact, through the channel's WeCom client
 * (src/channels/wecom: shared token cache, a rejected token — 40014/42001 — is dropped, refreshed
 * and the call retried once):
 *
 *   POST /cgi-bin/externalcontact/add_msg_template {chat_type: 'single', external_userid: [id], text}
 *
 * WeCom then asks the staff member to confirm; how many such messages a customer may receive
 * (per month, week or day) is the company's setting, honoured before the send by the journeys'
 * quota ledger (src/crm/automation/quota). The id in `fail_list`, 40096 (invalid external userid) or 84061 (not a
 * contact) → unreachable; -1, 45009, 45033, 5xx/429 and transport errors → retryable; a timeout
 * → in doubt (retryable); other errcodes → permanent. WeCom has no idempotency key: not idempotent.
 *
 * A send whose answer was lost is reconciled by the msgid WeCom gave it instead: the company's
 * single-chat mass messages created since the attempt (get_groupmsg_list_v2) with our text, and
 * for each, whether our contact is among its recipients (get_groupmsg_task → the staff members,
 * get_groupmsg_send_result → their contacts). Found → delivered under that msgid; not found →
 * absent (WeCom never created it, so sending now sends once) — once the attempt is older than
 * the longest a send can take (`inFlightMs`), since a live worker may still be waiting for it.
 *
 * The 群发 journey action (docs/journeys.md) waits for the staff member's confirmation: `track`
 * reads the customer's row of get_groupmsg_send_result (0 not sent yet, 1 sent, 2 not a contact,
 * 3 over the customer's receive limit) and `withdraw` stops a 群发 nobody confirmed in time
 * (cancel_groupmsg_send).
 */
import type { MassTracked, OutboundSender, Reconciled } from '../../crm/automation/index.ts';
import { isAppError } from '../../crm/kernel/index.ts';
import type { WeComApiClient } from '../wecom/index.ts';
import { errcodeOf, failureOf } from './result.ts';

/** The recipient is not (or no longer) an external contact the company can message. */
const NOT_A_CONTACT: ReadonlySet<number> = new Set([40096, 84061]);
/**
 * get_groupmsg_send_result `status` of one customer (获取企业群发成员执行结果): 0 not sent yet
 * (the staff member has not confirmed), 1 sent, 2 failed because the customer is not a contact,
 * 3 failed because the customer had already received their 群发 allowance.
 */
const SEND_STATUS = { unsent: 0, sent: 1, notFriend: 2, overLimit: 3 } as const;
/** WeCom's list API takes a window of at most a month. */
const MAX_WINDOW_S = 30 * 86_400;

type Row = Record<string, unknown>;

/** Every row of a cursor-paged WeCom list (`key` names the list in each page). */
async function* pages(client: WeComApiClient, api: string, body: Row, key: string): AsyncGenerator<Row> {
  let cursor = '';
  do {
    const reply = await client.post(api, { ...body, limit: 100, ...(cursor ? { cursor } : {}) });
    const rows = Array.isArray(reply[key]) ? (reply[key] as Row[]) : [];
    yield* rows;
    cursor = typeof reply.next_cursor === 'string' ? reply.next_cursor : '';
  } while (cursor);
}

/** The customer's row of the mass message `msgid` (through whichever staff member it was given to), with that staff member. */
async function recipientRow(client: WeComApiClient, msgid: string, externalUserId: string): Promise<{ userid: string; row: Row } | undefined> {
  for await (const task of pages(client, 'externalcontact/get_groupmsg_task', { msgid }, 'task_list')) {
    for await (const r of pages(client, 'externalcontact/get_groupmsg_send_result', { msgid, userid: task.userid }, 'send_list')) {
      if (r.external_userid === externalUserId) return { userid: String(task.userid), row: r };
    }
  }
  return undefined;
}

/** Whether the mass message `msgid` reaches `externalUserId` (through any staff member). */
async function reaches(client: WeComApiClient, msgid: string, externalUserId: string): Promise<boolean> {
  const hit = await recipientRow(client, msgid, externalUserId);
  return Boolean(hit && hit.row.status !== SEND_STATUS.notFriend);
}

export function createWeComExternalSender(client: WeComApiClient): OutboundSender {
  return {
    name: 'wecom',
    idempotent: false,
    // A send is at most a gettoken, the call and its retry after a refreshed token.
    inFlightMs: 3 * client.timeoutMs,
    async send(msg) {
      let reply;
      try {
        reply = await client.post('externalcontact/add_msg_template', { chat_type: 'single', external_userid: [msg.to], text: { content: msg.text } });
      } catch (e) {
        if (!isAppError(e)) throw e;
        const errcode = errcodeOf(e);
        if (errcode !== undefined && NOT_A_CONTACT.has(errcode)) return { status: 'unreachable', reason: `wecom: ${String((e.details as { errmsg?: unknown }).errmsg ?? errcode)}` };
        return failureOf(e);
      }
      const failList = Array.isArray(reply.fail_list) ? reply.fail_list.map(String) : [];
      if (failList.includes(msg.to)) return { status: 'unreachable', reason: 'wecom: not a contact of the sender (fail_list)' };
      return { status: 'sent', providerId: typeof reply.msgid === 'string' ? reply.msgid : undefined };
    },
    async reconcile(msg, since): Promise<Reconciled> {
      const end = Math.floor(Date.now() / 1000) + 60;
      const start = Math.max(Math.floor(since.getTime() / 1000), end - MAX_WINDOW_S);
      try {
        for await (const m of pages(client, 'externalcontact/get_groupmsg_list_v2', { chat_type: 'single', start_time: start, end_time: end, filter_type: 0 }, 'group_msg_list')) {
          const content = (m.text as { content?: unknown } | undefined)?.content;
          if (content === msg.text && typeof m.msgid === 'string' && (await reaches(client, m.msgid, msg.to))) return { status: 'delivered', providerId: m.msgid };
        }
        return { status: 'absent' };
      } catch (e) {
        if (!isAppError(e)) throw e;
        return { status: 'unknown', reason: `wecom lookup failed: ${e.code}: ${e.message}`, retryable: e.retryable };
      }
    },
    async track(msgid, msg): Promise<MassTracked> {
      try {
        const hit = await recipientRow(client, msgid, msg.to);
        // Not (yet) listed for any staff member: WeCom has not dispatched it, so it is not sent.
        if (!hit) return { status: 'awaiting' };
        const status = Number(hit.row.status);
        if (status === SEND_STATUS.sent) {
          const t = Number(hit.row.send_time);
          return { status: 'sent', sender: hit.userid, ...(t > 0 ? { sentAt: new Date(t * 1000) } : {}) };
        }
        if (status === SEND_STATUS.notFriend) return { status: 'not_friend', sender: hit.userid };
        if (status === SEND_STATUS.overLimit) return { status: 'over_limit', sender: hit.userid };
        return { status: 'awaiting', sender: hit.userid };
      } catch (e) {
        if (!isAppError(e)) throw e;
        return { status: 'unknown', reason: `wecom lookup failed: ${e.code}: ${e.message}`, retryable: e.retryable };
      }
    },
    async withdraw(msgid) {
      // 停止企业群发: staff members can no longer send it; one already sent stays sent.
      await client.post('externalcontact/cancel_groupmsg_send', { msgid });
    },
  };
}
