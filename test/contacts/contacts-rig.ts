/**
 * A running app with the WeCom channel against the fake qyapi (its 客户联系 routes included), the
 * demo data, and helpers to send 客户联系 callbacks exactly as WeCom does.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { cdata } from '../../src/channels/shared/xml.ts';
import { weComClientOf } from '../../src/channels/wecom/index.ts';
import { activeStaffActor, type StaffAccess } from '../../src/crm/kernel/index.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { createRuntime } from '../../src/runtime.ts';
import { startFakeQyapi } from '../fakes/qyapi.ts';
import { contactsOf } from '../fakes/qyapi-contacts.ts';
import { createTestEnv } from '../support/env.ts';
import { encryptedCallback } from '../support/wecom-callback-builder.ts';
import { AGENT_ID, keys, post, SECRET, weComEnv } from '../support/wecom-app.ts';

export async function startContactsRig(label: string) {
  const opts = { corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID };
  const fake = await startFakeQyapi(opts);
  const env = await createTestEnv(label, { ...weComEnv(fake.url), WECOM_REPLY_BUDGET_MS: '4000' });
  await seedDemo(env.services.sql, { members: 60, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
  // The demo gives some members a made-up WeCom customer already; these tests bind them to the fake's customers.
  await env.services.sql.query("UPDATE members SET external_user_id = NULL WHERE member_no <= 'M00000020'");
  const rt = createRuntime(env.services);
  const { services } = env;
  const access = async (userId: string): Promise<StaffAccess> => ({ services, actor: (await activeStaffActor(services, userId))!, channel: 'api', requestId: `t-${Math.random().toString(36).slice(2)}` });
  const rows = async (sql: string, params: unknown[] = []) => (await services.sql.query<RowDataPacket[]>(sql, params))[0];
  const memberId = async (memberNo: string) => Number((await rows('SELECT id FROM members WHERE member_no = ?', [memberNo]))[0]!.id);
  let n = 0;
  /** A 客户联系 event callback (Event + fields), encrypted and signed; each call is a distinct event (its own CreateTime). */
  const eventRequest = (event: string, fields: Record<string, string>) => {
    const now = new Date();
    const inner =
      `<xml><ToUserName>${cdata(keys.corpId)}</ToUserName><FromUserName>${cdata('sys')}</FromUserName><CreateTime>${Math.floor(now.getTime() / 1000) + n++}</CreateTime>` +
      `<MsgType>${cdata('event')}</MsgType><Event>${cdata(event)}</Event>` +
      Object.entries(fields)
        .map(([k, v]) => `<${k}>${cdata(v)}</${k}>`)
        .join('') +
      `</xml>`;
    return encryptedCallback(keys, inner, now);
  };
  const send = async (req: ReturnType<typeof eventRequest>) => {
    const res = await post(rt, req);
    return { status: res.status, body: await res.text() };
  };
  const contactEvent = (changeType: string, userId: string, externalUserId: string, more: Record<string, string> = {}) =>
    send(eventRequest('change_external_contact', { ChangeType: changeType, UserID: userId, ExternalUserID: externalUserId, ...more }));
  return {
    fake,
    wc: contactsOf(opts),
    env,
    services,
    rt,
    port: weComClientOf(services).contacts,
    access,
    rows,
    memberId,
    eventRequest,
    send,
    contactEvent,
    async close() {
      await rt.stop();
      await env.cleanup();
      await fake.close();
    },
  };
}
export type ContactsRig = Awaited<ReturnType<typeof startContactsRig>>;
