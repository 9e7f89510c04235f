import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffAccess } from '../../src/crm/kernel/access.ts';
import { importMembers } from '../../src/crm/lifecycle/import.ts';
import { enrolKoc } from '../../src/crm/loyalty/koc/index.ts';
import { createFixture, NOW, type Fixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { wherePhone } from '../support/sealed-phone.ts';

/**
 * The member import's referral code (KOC) column: a new member is recorded as the KOC's referral
 * through loyalty's one writer (writeReferral), as POST /api/crm/customers' `referralCode`
 * does; an unknown code is reported on its row and column; members created or changed by an
 * import go into the change feed (so the sync pushes them, docs/sync.md).
 */
let env: TestEnv;
let fx: Fixture;
let dir: string;
let code: string;
const access = (): StaffAccess => ({ services: env.services, actor: fx.staff.hq, channel: 'console', requestId: 't-referral' });
const member = (phone: string) => env.services.db.member.findUnique({ where: wherePhone(phone) });
const q = async (text: string, params: unknown[] = []) => (await env.services.sql.query<RowDataPacket[]>(text, params))[0];

beforeAll(async () => {
  env = await createTestEnv('import_referral', {}, { now: () => NOW });
  fx = await createFixture(env.services);
  dir = await mkdtemp(join(tmpdir(), 'crm-import-referral-'));
  ({ referralCode: code } = await enrolKoc(access(), fx.memberIds['M00000006']!));
});
afterAll(async () => {
  await env?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('member import: referral code column', () => {
  let file: string;
  it('records a new member as the KOC’s referral, rejects an unknown or malformed code with row and column, ignores it for a member already here', async () => {
    file = join(dir, 'referrals.csv');
    await writeFile(
      file,
      [
        '手机号,姓名,门店,推荐码',
        `13900000101,新朋友,S1,${code.toLowerCase()}`, // row 2: written in lower case, still the KOC's
        '13900000102,错码,S1,K99999999', // row 3: no KOC has it
        '13900000103,坏码,S1,K-1', // row 4: not a code at all
        `13800000001,张伟,S1,${code}`, // row 5: already a member: a referral is taken at registration only
        '13900000104,无推荐,S1,', // row 6: no code
      ].join('\r\n'),
    );
    const feedBefore = Number((await q('SELECT COALESCE(MAX(id), 0) AS id FROM change_feed'))[0]!.id);
    const r = await importMembers(access(), file);
    expect(r).toMatchObject({ rowsRead: 5, created: 2, unchanged: 1, referrals: 1, rejected: 2 });
    const report = (await readFile(r.errorsFile!, 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r\n/).slice(1);
    expect(report).toEqual([`3,推荐码,没有推荐码「K99999999」的 KOC`, expect.stringMatching(/^4,推荐码,推荐码「K-1」应为字母和数字/)]);
    expect(await member('13900000102')).toBeNull();
    expect(await member('13900000103')).toBeNull();

    const referred = (await member('13900000101'))!;
    const kocId = fx.memberIds['M00000006']!;
    expect(await q('SELECT koc_member_id, referred_member_id, order_id, commission FROM koc_referrals WHERE koc_member_id = ?', [kocId])).toEqual([
      { koc_member_id: kocId, referred_member_id: referred.id, order_id: null, commission: '0.00' },
    ]);
    // The new members and the KOC (their referral count moved) are in the change feed, in the import's transaction.
    const feed = await q('SELECT object_type, member_id FROM change_feed WHERE id > ? ORDER BY id', [feedBefore]);
    const plain = feed.map((f) => `${f.object_type}:${f.member_id}`);
    expect(plain).toEqual(expect.arrayContaining([`member:${referred.id}`, `member:${(await member('13900000104'))!.id}`, `koc_referral:${kocId}`]));
    expect(plain).not.toContain(`member:${fx.memberIds['M00000001']}`);
  });

  it('a second import of the same file records no second referral', async () => {
    const r = await importMembers(access(), file);
    expect(r).toMatchObject({ created: 0, referrals: 0, unchanged: 3, rejected: 2 });
    expect(Number((await q('SELECT COUNT(*) AS n FROM koc_referrals'))[0]!.n)).toBe(1);
  });

  it('a dry run checks the codes and writes no referral', async () => {
    const f = join(dir, 'dry.csv');
    await writeFile(f, ['phone,name,store,referral_code', `13900000105,试跑,S1,${code}`].join('\n'));
    const r = await importMembers(access(), f, { dryRun: true });
    expect(r).toMatchObject({ created: 1, referrals: 1, rejected: 0, dryRun: true });
    expect(await member('13900000105')).toBeNull();
    expect(Number((await q('SELECT COUNT(*) AS n FROM koc_referrals'))[0]!.n)).toBe(1);
  });
});
