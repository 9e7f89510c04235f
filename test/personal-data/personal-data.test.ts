import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { findMembers, listMembers, memberSummary, profileHistory, rotateMemberKeys, updateMemberProfile } from '../../src/crm/customers/index.ts';
import { buildKeyring, installKeyring, isEnvelope, keyring, type Keyring } from '../../src/crm/kernel/index.ts';
import { MIGRATIONS_DIR, migrate } from '../../src/db/migrate.ts';
import { dropDatabase } from '../../src/db/sql.ts';
import { createSqlPool } from '../../src/db/sql.ts';
import { useCrmTestEnv } from '../support/crm/crm-test-env.ts';
import { TEST_SERVER_URL } from '../support/server.ts';
import { openPhone, phoneHash } from '../support/sealed-phone.ts';

const PHONE = /1[3-9]\d{9}/;
const b64 = (k: Buffer) => k.toString('base64');

describe('personal data at rest: search, masking, rotation', () => {
  const t = useCrmTestEnv('personal_data');

  it('no plaintext phone or email is left in the members table or the profile history', async () => {
    await updateMemberProfile(t.as('hq'), t.id('M00000004'), { phone: '139 0000 4444', email: 'lina@example.com' });
    const [members] = await t.services.sql.query<any[]>('SELECT * FROM members');
    const [history] = await t.services.sql.query<any[]>('SELECT * FROM member_profile_changes');
    expect(members.length).toBeGreaterThan(5);
    const phones = members.map((m) => openPhone(m.phone_enc));
    expect(phones).toContain('13900004444');
    for (const row of [...members, ...history]) {
      for (const v of Object.values(row)) if (typeof v === 'string') for (const p of [...phones, '13800000004', 'lina@example.com']) expect(v).not.toContain(p);
    }
    expect(Object.keys(members[0])).not.toContain('phone');
    expect(Object.keys(members[0])).not.toContain('email');
    const h = await profileHistory(t.as('hq'), t.id('M00000004'));
    expect(h.find((c) => c.field === 'phone')).toMatchObject({ oldValue: '13800000004', newValue: '13900004444' });
  });

  it('finds by the whole phone through the blind index, by the last four digits, and refuses other parts', async () => {
    expect((await findMembers(t.as('hq'), { phone: '+86 138-0000-0001' })).members).toEqual([expect.objectContaining({ memberNo: 'M00000001', phone: '13800000001' })]);
    // Masking unchanged: a store manager without member.phone.view sees 138****0001.
    expect((await findMembers(t.as('agent'), { phone: '13800000001' })).members[0]?.phone).toBe('138****0001');
    const tail = await findMembers(t.as('hq'), { phone: '尾号0003' });
    expect(tail).toMatchObject({ by: 'phoneTail', valid: true, total: 1, members: [{ memberNo: 'M00000003' }] });
    expect(await findMembers(t.as('hq'), { phone: '1380000' })).toMatchObject({ by: 'phone', valid: false, partialPhone: true, total: 0 });
    const page = await listMembers(t.as('hq'), { q: '*0002', sort: 'name', skip: 0, take: 20 });
    expect(page.rows.map((r) => r.memberNo)).toEqual(['M00000002']);
    await expect(listMembers(t.as('hq'), { q: '138000', sort: 'name', skip: 0, take: 20 })).rejects.toMatchObject({ code: 'phone_partial_search', status: 400 });
    expect((await listMembers(t.as('hq'), { q: '13800000005', sort: 'name', skip: 0, take: 20 })).rows.map((r) => r.memberNo)).toEqual(['M00000005']);
  });

  it('finds by a whole e-mail address through its blind index (any case, masked in the answer and the audit), within store scope', async () => {
    await updateMemberProfile(t.as('hq'), t.id('M00000002'), { email: 'Wang.Fang@Example.COM' });
    const found = await findMembers(t.as('hq'), { name: ' wang.fang@example.com ' });
    expect(found).toMatchObject({ by: 'email', valid: true, total: 1, members: [{ memberNo: 'M00000002' }] });
    expect(found.query).not.toContain('wang.fang@');
    const [audits] = await t.services.sql.query<any[]>("SELECT target_id, detail FROM audit_logs WHERE action = 'member.lookup' ORDER BY id DESC LIMIT 1");
    expect(JSON.stringify(audits[0])).not.toMatch(/wang\.fang@/i);
    expect((await listMembers(t.as('hq'), { q: 'WANG.FANG@example.com', sort: 'name', skip: 0, take: 20 })).rows.map((r) => r.memberNo)).toEqual(['M00000002']);
    // Another address, and a store role outside the member's store, find nobody.
    expect((await findMembers(t.as('hq'), { name: 'someone@example.com' })).total).toBe(0);
    // M00000002 belongs to store S2: store S1's manager does not see it.
    expect((await findMembers(t.as('manager1'), { name: 'wang.fang@example.com' })).total).toBe(0);
    expect((await findMembers(t.as('manager2'), { name: 'wang.fang@example.com' })).total).toBe(1);
  });

  it('rotate-keys re-seals every value under the new key id; afterwards the old key can be removed', async () => {
    const dev = keyring();
    const fresh = Buffer.alloc(32, 7);
    const both = buildKeyring({ DATA_KEYS: `dev:${b64(dev.keys.get('dev')!)},k2:${b64(fresh)}`, DATA_KEY_ID: 'k2', DATA_INDEX_KEY: b64(dev.indexKey) });
    const onlyNew = buildKeyring({ DATA_KEYS: `k2:${b64(fresh)}`, DATA_KEY_ID: 'k2', DATA_INDEX_KEY: b64(dev.indexKey) });
    try {
      installKeyring(both);
      const conn = await t.services.sql.getConnection();
      const lines: string[] = [];
      try {
        // A small batch: several rounds, each logged.
        const r = await rotateMemberKeys(conn, (m) => lines.push(m), { batch: 3 });
        expect(r.members).toBeGreaterThan(3);
        expect(lines.filter((l) => /members re-sealed/.test(l)).length).toBeGreaterThan(1);
        expect((await rotateMemberKeys(conn, () => {}, { batch: 3 })).members).toBe(0); // resumable: nothing left
      } finally {
        conn.release();
      }
      const [[left]] = await t.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM members WHERE phone_enc NOT LIKE 'v1:k2:%' OR email_enc NOT LIKE 'v1:k2:%'");
      expect(Number(left.n)).toBe(0);
      installKeyring(onlyNew);
      expect((await findMembers(t.as('hq'), { phone: '13800000001' })).members[0]?.phone).toBe('13800000001');
      expect(await memberSummary(t.as('hq'), { memberNo: 'M00000004' })).toMatchObject({ kind: 'one', summary: { member: { email: 'lina@example.com' } } });
      installKeyring(dev);
      await expect(findMembers(t.as('hq'), { phone: '13800000001' })).rejects.toMatchObject({ code: 'personal_data_unreadable' });
    } finally {
      installKeyring(dev);
    }
  });
});

describe('PERSONAL_DATA_FIELDS: remarks and addresses sealed on request', () => {
  const t = useCrmTestEnv('personal_data_fields');
  const raw = async (memberNo: string) => (await t.services.sql.query<any[]>('SELECT remarks, CAST(addresses AS CHAR) AS addresses FROM members WHERE member_no = ?', [memberNo]))[0][0];
  const home = { type: 'home' as const, province: '上海市', city: '上海市', district: '徐汇区', detail: '漕溪北路 88 号 1201 室', default: true };

  it('new writes follow the setting, reads open either form, and rotate-keys converts stored rows both ways', async () => {
    const dev = keyring();
    const sealing = buildKeyring({ PERSONAL_DATA_FIELDS: 'remarks,addresses' });
    try {
      // Written in clear before the setting: stays readable after it.
      await updateMemberProfile(t.as('hq'), t.id('M00000001'), { remarks: '对花生过敏', addresses: [home] });
      expect((await raw('M00000001')).remarks).toBe('对花生过敏');
      installKeyring(sealing);
      await updateMemberProfile(t.as('hq'), t.id('M00000002'), { remarks: '只在周末来，喜欢靠窗的位子', addresses: [home] });
      const sealed = await raw('M00000002');
      expect(isEnvelope(sealed.remarks)).toBe(true);
      expect(isEnvelope(JSON.parse(sealed.addresses))).toBe(true);
      expect(JSON.stringify(sealed)).not.toContain('漕溪北路');
      const [history] = await t.services.sql.query<any[]>("SELECT field, new_value FROM member_profile_changes WHERE member_id = ? AND field IN ('remarks', 'addresses')", [t.id('M00000002')]);
      expect(history.map((h: any) => isEnvelope(h.new_value))).toEqual([true, true]);
      for (const no of ['M00000001', 'M00000002']) {
        const one = await memberSummary(t.as('hq'), { memberNo: no });
        expect(one).toMatchObject({ kind: 'one', summary: { member: { addresses: [home] } } });
      }
      expect((await profileHistory(t.as('hq'), t.id('M00000002'))).find((c) => c.field === 'remarks')?.newValue).toBe('只在周末来，喜欢靠窗的位子');
      // rotate-keys seals the row written before the setting …
      const conn = await t.services.sql.getConnection();
      try {
        expect((await rotateMemberKeys(conn, () => {})).members).toBeGreaterThanOrEqual(1);
        expect(isEnvelope((await raw('M00000001')).remarks)).toBe(true);
        expect((await rotateMemberKeys(conn, () => {})).members).toBe(0); // nothing left to do
        // … and with the setting taken off, opens them all again.
        installKeyring(dev);
        await rotateMemberKeys(conn, () => {});
      } finally {
        conn.release();
      }
      expect(await raw('M00000002')).toMatchObject({ remarks: '只在周末来，喜欢靠窗的位子' });
      expect(JSON.parse((await raw('M00000002')).addresses)).toEqual([home]);
      const [left] = await t.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM member_profile_changes WHERE field IN ('remarks', 'addresses') AND new_value LIKE 'v1:%'");
      expect(Number(left[0].n)).toBe(0);
    } finally {
      installKeyring(dev);
    }
  });

  it('an unknown field in PERSONAL_DATA_FIELDS stops the start, naming it', () => {
    expect(() => loadConfig({ PERSONAL_DATA_FIELDS: 'remarks,idcard' })).toThrow(/PERSONAL_DATA_FIELDS.*idcard/s);
  });
});

describe('the migration converts existing plaintext rows', () => {
  const db = `crm_t_pd_migrate_${Date.now().toString(36)}`;
  const url = `${TEST_SERVER_URL}${db}`;
  let dir = '';
  afterAll(async () => {
    await dropDatabase(url);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('seals every phone and email in batches, keeps them findable, then drops the plaintext columns', async () => {
    // The migrations before this change, applied to a database that then gets plaintext members.
    dir = await mkdtemp(join(tmpdir(), 'pd-migrations-'));
    for (const name of await readdir(MIGRATIONS_DIR)) if (name < '20261206010000') await cp(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
    await migrate(url, { dir });
    const sql = createSqlPool(url);
    try {
      const rows = Array.from({ length: 2500 }, (_, i) => [`M${String(i + 1).padStart(8, '0')}`, `会员${i}`, `139${String(i).padStart(8, '0')}`, i % 2 ? `m${i}@example.com` : null, new Date('2026-01-01T00:00:00Z'), 'pos']);
      await sql.query('INSERT INTO members (member_no, name, phone, email, registered_at, source_channel) VALUES ?', [rows]);
      await sql.query("INSERT INTO member_profile_changes (member_id, field, old_value, new_value, changed_by, channel) VALUES (1, 'phone', '13811112222', '13900000000', 'hq', 'api')");
      const log: string[] = [];
      const res = await migrate(url, { log: (m) => log.push(m) });
      expect(res.applied.slice(0, 3)).toEqual(['20261206010000_personal_data_sealed_columns', '20261206010100_seal_personal_data', '20261206010200_drop_plaintext_personal_data']); // later migrations follow
      expect(log.filter((l) => /sealing personal data: \d+\/2500 members/.test(l))).toHaveLength(3); // batches of 1000
      const [cols] = await sql.query<any[]>("SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'members'", [db]);
      expect(cols.map((c) => c.c)).not.toContain('phone');
      const [sealed] = await sql.query<any[]>('SELECT id, phone_enc, phone_hash, phone_tail, email_enc FROM members ORDER BY id');
      expect(sealed).toHaveLength(2500);
      expect(openPhone(sealed[41].phone_enc)).toBe('13900000041');
      expect(sealed[41]).toMatchObject({ phone_hash: phoneHash('13900000041'), phone_tail: '0041' });
      expect(sealed.every((r) => r.phone_enc.startsWith('v1:dev:') && !PHONE.test(r.phone_enc))).toBe(true);
      const [[h]] = await sql.query<any[]>('SELECT old_value, new_value FROM member_profile_changes');
      expect(h.old_value).toMatch(/^v1:dev:/);
      expect(h.new_value).toMatch(/^v1:dev:/);
    } finally {
      await sql.end();
    }
  }, 240_000);
});

describe('configuration of the keys', () => {
  it('production refuses to start without DATA_KEYS and DATA_INDEX_KEY, naming them', () => {
    let err: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.variable)).toEqual(expect.arrayContaining(['DATA_KEYS', 'DATA_INDEX_KEY']));
    expect(String((err as Error).message)).toMatch(/required in production/);
  });

  it('production starts with them, and a DATA_KEY_ID not among DATA_KEYS is refused', () => {
    const before: Keyring = keyring();
    try {
      const k = Buffer.alloc(32, 1).toString('base64');
      const cfg = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATA_KEYS: `p1:${k}`, DATA_KEY_ID: 'p1', DATA_INDEX_KEY: k });
      expect(cfg.DATA_KEY_ID).toBe('p1');
      expect(keyring()).toMatchObject({ currentId: 'p1', development: false });
      expect(() => loadConfig({ NODE_ENV: 'production', DATA_KEYS: `p1:${k}`, DATA_KEY_ID: 'p2', DATA_INDEX_KEY: k })).toThrow(/DATA_KEY_ID "p2"/);
      expect(() => loadConfig({ DATA_KEYS: 'p1:short' })).toThrow(/32 bytes/);
    } finally {
      installKeyring(before);
    }
  });
});
