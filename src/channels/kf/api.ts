/**
 * The 微信客服 server APIs we call, over the one WeCom API client (src/channels/wecom/api-client.ts:
 * its token cache, refresh on 40014/42001, 60020 explanation). The kf APIs take the access token of
 * the self-built app set as 「微信客服 → 可调用接口的应用」 (docs/wecom.md, "微信客服 (members)").
 */
import { z } from 'zod';
import { isAppError } from '../../crm/kernel/index.ts';
import type { WeComApiClient } from '../wecom/api-client.ts';

/** kf/send_msg refusals that mean "not now" rather than "wrong" (WeCom global error codes). */
export const KF_COUNT_LIMIT = 95001; // 发送消息次数超过限制: the 5 messages after the customer's are used
export const KF_TIME_LIMIT = 95002; // 发送消息时间超过限制: 48 hours since the customer's last message
export const KF_SESSION_STATE = 95018; // send msg session status invalid: the session is with a person (state 2/3) or ended

/** One item of sync_msg's msg_list ("读取消息"); fields we do not use are kept but not typed. */
export const kfItemSchema = z.looseObject({
  msgid: z.string().min(1),
  open_kfid: z.string().optional(),
  external_userid: z.string().optional(),
  send_time: z.number().optional(),
  /** 3: the customer's message; 4: a system event; 5: a servicer's message sent from WeCom. */
  origin: z.number(),
  servicer_userid: z.string().optional(),
  msgtype: z.string(),
  text: z.looseObject({ content: z.string() }).optional(),
  event: z
    .looseObject({
      event_type: z.string(),
      open_kfid: z.string().optional(),
      external_userid: z.string().optional(),
      welcome_code: z.string().optional(),
      scene: z.string().optional(),
      /** session_status_change: 1 from the queue, 2 transferred, 3 ended, 4 re-opened by a servicer. */
      change_type: z.number().optional(),
      old_servicer_userid: z.string().optional(),
      new_servicer_userid: z.string().optional(),
    })
    .optional(),
});
export type KfItem = z.infer<typeof kfItemSchema>;

const syncReplySchema = z.looseObject({
  next_cursor: z.string().optional().default(''),
  has_more: z.union([z.number(), z.boolean()]).optional().default(0),
  msg_list: z.array(z.unknown()).optional().default([]),
});

export interface SyncPage {
  nextCursor: string;
  hasMore: boolean;
  /** Items that parse; an item of a shape we do not know is skipped (and logged by the caller). */
  items: KfItem[];
  skipped: number;
}

/** The session states of 「分配客服会话」 (kf/service_state/get|trans). */
export const SERVICE_STATE = { untreated: 0, bot: 1, queue: 2, person: 3, ended: 4 } as const;

export interface KfApi {
  /** kf/sync_msg: one page from `cursor` (empty: the oldest of the last 3 days), with the callback's Token. */
  syncMsg(openKfId: string, cursor: string, token: string | undefined, limit?: number): Promise<SyncPage>;
  /** kf/send_msg, text. Throws AppError; `details.errcode` is WeCom's (95001/95002/95018 …). */
  sendText(openKfId: string, externalUserId: string, content: string, msgid?: string): Promise<void>;
  /** kf/send_msg_on_event: a welcome text on an enter_session event's welcome_code (usable once, briefly). */
  sendOnEvent(welcomeCode: string, content: string, msgid?: string): Promise<void>;
  serviceState(openKfId: string, externalUserId: string): Promise<{ state: number; servicer?: string }>;
  /** kf/service_state/trans: to the queue (2) or to a servicer (3, servicer required). */
  transServiceState(openKfId: string, externalUserId: string, state: number, servicer?: string): Promise<void>;
}

export function createKfApi(client: WeComApiClient): KfApi {
  return {
    async syncMsg(openKfId, cursor, token, limit = 1000) {
      const reply = syncReplySchema.parse(
        await client.post('kf/sync_msg', { ...(cursor ? { cursor } : {}), ...(token ? { token } : {}), limit, voice_format: 0, open_kfid: openKfId }),
      );
      const items: KfItem[] = [];
      let skipped = 0;
      for (const raw of reply.msg_list) {
        const item = kfItemSchema.safeParse(raw);
        if (item.success) items.push(item.data);
        else skipped++;
      }
      return { nextCursor: reply.next_cursor, hasMore: reply.has_more === 1 || reply.has_more === true, items, skipped };
    },
    async sendText(openKfId, externalUserId, content, msgid) {
      await client.post('kf/send_msg', { touser: externalUserId, open_kfid: openKfId, ...(msgid ? { msgid } : {}), msgtype: 'text', text: { content } });
    },
    async sendOnEvent(welcomeCode, content, msgid) {
      await client.post('kf/send_msg_on_event', { code: welcomeCode, ...(msgid ? { msgid } : {}), msgtype: 'text', text: { content } });
    },
    async serviceState(openKfId, externalUserId) {
      const r = await client.post('kf/service_state/get', { open_kfid: openKfId, external_userid: externalUserId });
      return { state: Number(r.service_state ?? 0), ...(typeof r.servicer_userid === 'string' && r.servicer_userid ? { servicer: r.servicer_userid } : {}) };
    },
    async transServiceState(openKfId, externalUserId, state, servicer) {
      await client.post('kf/service_state/trans', { open_kfid: openKfId, external_userid: externalUserId, service_state: state, ...(servicer ? { servicer_userid: servicer } : {}) });
    },
  };
}

/** WeCom's errcode of a failed kf call, if the failure was WeCom's answer. */
export function errcodeOf(e: unknown): number | undefined {
  if (!isAppError(e)) return undefined;
  const code = (e.details as { errcode?: unknown } | undefined)?.errcode;
  return typeof code === 'number' ? code : undefined;
}
