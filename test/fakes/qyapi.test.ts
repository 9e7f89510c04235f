import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeQyapi, type FakeQyapi } from './qyapi.ts';

/** The fake must speak WeCom's wire format, or tests against it prove nothing. */
describe('fake qyapi server', () => {
  let fake: FakeQyapi;
  beforeEach(async () => {
    fake = await startFakeQyapi({ corpId: 'ww1', corpSecret: 's3cret', agentId: 1000002 });
  });
  afterEach(async () => fake.close());

  const getToken = async (corpid = 'ww1', corpsecret = 's3cret') =>
    (await fetch(`${fake.url}/cgi-bin/gettoken?${new URLSearchParams({ corpid, corpsecret })}`)).json() as Promise<Record<string, unknown>>;
  const send = async (token: string | undefined, body: unknown) => {
    const q = token === undefined ? '' : `?access_token=${encodeURIComponent(token)}`;
    const res = await fetch(`${fake.url}/cgi-bin/message/send${q}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
    expect(res.status).toBe(200); // WeCom reports API errors in errcode, over HTTP 200
    return (await res.json()) as Record<string, unknown>;
  };
  const text = (content: string, touser = 'u1') => ({ touser, msgtype: 'text', agentid: 1000002, text: { content } });

  it('gettoken checks corpid and secret and answers like WeCom', async () => {
    const ok = await getToken();
    expect(ok).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(typeof ok.access_token).toBe('string');
    expect((await getToken('ww2')).errcode).toBe(40013);
    expect((await getToken('ww1', 'nope')).errcode).toBe(40001);
    expect(fake.tokenRequests).toBe(3);
  });

  it('message/send checks the token, records the message and answers like WeCom', async () => {
    const token = String((await getToken()).access_token);
    expect(await send(token, text('你好'))).toMatchObject({ errcode: 0, errmsg: 'ok', invaliduser: '', unlicenseduser: '' });
    expect(fake.sent).toMatchObject([{ touser: 'u1', msgtype: 'text', agentid: 1000002, content: '你好', truncated: false, accessToken: token }]);
    expect((await send(undefined, text('x'))).errcode).toBe(41001);
    expect((await send('forged', text('x'))).errcode).toBe(40014);
    expect((await send(token, '{not json')).errcode).toBe(47001);
    expect((await send(token, { ...text('x'), agentid: 1 })).errcode).toBe(40056);
    expect((await send(token, text(''))).errcode).toBe(44004);
    expect(fake.sent).toHaveLength(1);
  });

  it('truncates content over 2048 bytes on a character boundary, as WeCom does', async () => {
    const token = String((await getToken()).access_token);
    await send(token, text('会'.repeat(700))); // 2100 bytes
    expect(fake.sent[0]).toMatchObject({ truncated: true, contentBytes: 2100, content: '会'.repeat(682) });
  });

  it('scripts failures: expired tokens, errcodes (optionally after some successes), HTTP errors', async () => {
    const token = String((await getToken()).access_token);
    fake.expireTokens();
    expect((await send(token, text('x'))).errcode).toBe(42001);
    const fresh = String((await getToken()).access_token);
    fake.failNext(45009, 2, { after: 1 });
    expect((await send(fresh, text('a'))).errcode).toBe(0);
    expect((await send(fresh, text('b'))).errcode).toBe(45009);
    expect((await send(fresh, text('c'))).errcode).toBe(45009);
    expect((await send(fresh, text('d'))).errcode).toBe(0);
    fake.failTokenNext(60020);
    expect((await getToken()).errcode).toBe(60020);
    fake.failHttpNext(503);
    expect((await fetch(`${fake.url}/cgi-bin/gettoken`)).status).toBe(503);
    expect(fake.sent.map((m) => m.content)).toEqual(['a', 'd']);
    expect(fake.sendRequests).toBe(5);
  });

  const post = async (path: string, body: unknown) =>
    (await fetch(`${fake.url}/cgi-bin/${path}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;

  it('externalcontact/add_msg_template checks the token, lists non-contacts in fail_list and records the rest', async () => {
    const contacts = await startFakeQyapi({ corpId: 'ww1', corpSecret: 's3cret', contacts: (id) => id !== 'wm_gone' });
    try {
      const token = String(((await (await fetch(`${contacts.url}/cgi-bin/gettoken?corpid=ww1&corpsecret=s3cret`)).json()) as { access_token: string }).access_token);
      const call = async (t: string, body: unknown) =>
        (await fetch(`${contacts.url}/cgi-bin/externalcontact/add_msg_template?access_token=${t}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;
      const ok = await call(token, { chat_type: 'single', external_userid: ['wm_1', 'wm_gone'], text: { content: '您好' } });
      expect(ok).toMatchObject({ errcode: 0, errmsg: 'ok', fail_list: ['wm_gone'] });
      expect(typeof ok.msgid).toBe('string');
      expect(contacts.external).toMatchObject([{ externalUserId: 'wm_1', content: '您好', accessToken: token }]);
      expect((await call(token, { chat_type: 'single', external_userid: [], text: { content: 'x' } })).errcode).toBe(41048);
      contacts.revokeTokens();
      expect((await call(token, { chat_type: 'single', external_userid: ['wm_1'], text: { content: 'x' } })).errcode).toBe(40014);
      expect(contacts.externalRequests).toBe(3);
    } finally {
      await contacts.close();
    }
  });

  it('the group robot webhook/send checks the key, holds 20 a minute (130101) and scripts errcodes', async () => {
    const robot = (content: string, key = 'robot-key') => post(`webhook/send?key=${key}`, { msgtype: 'text', text: { content } });
    expect(await robot('告警')).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await robot('x', 'wrong')).errcode).toBe(93000);
    fake.failRobotNext(45009);
    expect((await robot('x')).errcode).toBe(45009);
    for (let i = 1; i < 20; i++) expect((await robot(`m${i}`)).errcode).toBe(0);
    expect((await robot('over')).errcode).toBe(130101);
    expect(fake.robotRefused).toBe(1);
    expect(fake.robot).toHaveLength(20);
  });
});
