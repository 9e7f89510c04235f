import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCrmArgs } from '../../src/cli/crm-args.ts';
import { createFixture, type Fixture } from '../support/crm/fixture.ts';
import { childEnv, runTsx, stopChildren, type Run } from '../support/child.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { wherePhone } from '../support/sealed-phone.ts';

let env: TestEnv;
let fx: Fixture;
let dir: string;

/** `npm run crm -- <args>` without npm in between (one process to stop), on the test's own database and Redis prefix. */
function crm(args: string[]): Promise<Run> {
  return runTsx(['src/cli/crm.ts', ...args], childEnv(env.config));
}

beforeAll(async () => {
  env = await createTestEnv('import_cli');
  fx = await createFixture(env.services);
  dir = await mkdtemp(join(tmpdir(), 'crm-cli-'));
});
afterAll(async () => {
  await stopChildren();
  await env?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('parseCrmArgs', () => {
  it('parses import and export options', () => {
    expect(parseCrmArgs(['import', 'a.csv', '--map', 'phone=手机号,name=姓名', '--store', 'S1', '--dry-run'])).toEqual({
      ok: true,
      command: { cmd: 'import', file: 'a.csv', map: { phone: '手机号', name: '姓名' }, store: 'S1', as: 'admin_01', errors: undefined, batch: undefined, dryRun: true, quiet: false },
    });
    expect(parseCrmArgs(['export', '--out', 'x.xlsx', '--fields', 'memberNo,phone'])).toMatchObject({ ok: true, command: { cmd: 'export', format: 'xlsx', fields: ['memberNo', 'phone'], unmask: false } });
  });
  it('parses import-orders options', () => {
    expect(parseCrmArgs(['import-orders', 'pos.csv', '--map', 'order_no=单号,phone=手机', '--store', 'S1', '--create-members', '--encoding', 'GBK', '--batch', '1000'])).toEqual({
      ok: true,
      command: { cmd: 'import-orders', file: 'pos.csv', map: { order_no: '单号', phone: '手机' }, store: 'S1', createMembers: true, encoding: 'gbk', batch: 1000, as: 'admin_01', dryRun: false, quiet: false },
    });
    for (const argv of [['import-orders'], ['import-orders', 'a.csv', '--map', 'name=姓名'], ['import-orders', 'a.csv', '--batch', '5000'], ['import-orders', 'a.csv', '--encoding', 'big5'], ['import', 'a.csv', '--create-members']]) {
      expect(parseCrmArgs(argv).ok, argv.join(' ')).toBe(false);
    }
  });
  it('rejects bad flags', () => {
    for (const argv of [['import'], ['import', 'a.csv', '--map', 'mobile=手机'], ['import', 'a.csv', '--unmask'], ['export'], ['export', '--out', 'x', '--fields', 'password'], ['export', '--out', 'x', '--format', 'pdf'], ['frobnicate'], ['import', 'a.csv', '--nope']]) {
      expect(parseCrmArgs(argv).ok, argv.join(' ')).toBe(false);
    }
  });
});

describe('npm run crm (spawned)', () => {
  it('import-orders: a GBK-free UTF-8 file, progress lines on stderr, a JSON summary, idempotent, --dry-run', async () => {
    const file = join(dir, 'pos.csv');
    await writeFile(file, '订单号,手机号,门店,实付金额,支付时间,支付方式\nCLI-1,13800000001,S1,20.00,2026-11-20 12:00,微信\nCLI-2,13800000004,S1,abc,2026-11-20 12:00,微信\n');
    const dry = await crm(['import-orders', file, '--as', 'hq_ops_01', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, recorded: 1, rejected: 1 });
    expect(await env.services.db.order.count({ where: { orderNo: 'CLI-1' } })).toBe(0);
    const r = await crm(['import-orders', file, '--as', 'hq_ops_01']);
    expect(r.code).toBe(0);
    // Not a terminal: plain progress lines, the last one at 100 %.
    expect(r.stderr).toMatch(/100% rows read 2, imported 1, rejected 1/);
    expect(JSON.parse(r.stdout)).toMatchObject({ encoding: 'utf-8', recorded: 1, rejected: 1, errorsFile: join(dir, 'pos.errors.csv') });
    expect(await readFile(join(dir, 'pos.errors.csv'), 'utf8')).toContain('3,实付金额,');
    const again = await crm(['import-orders', file, '--as', 'hq_ops_01', '--quiet']);
    expect(again.stderr).not.toMatch(/rows read/);
    expect(JSON.parse(again.stdout)).toMatchObject({ recorded: 0, replayed: 1 });
    expect(await env.services.db.order.count({ where: { orderNo: 'CLI-1' } })).toBe(1);
  }, 90_000);

  it('imports a CSV, prints progress on stderr and a summary on stdout, writes the error report', async () => {
    const file = join(dir, 'in.csv');
    await writeFile(file, '\uFEFF手机号,姓名,门店\n13900000101,命令行一,\n13900000102,命令行二,S2\nabc,坏,S1\n');
    const r = await crm(['import', file, '--as', 'hq_ops_01', '--store', 'S1']);
    expect(r.stderr).toMatch(/rows read 3, imported 2, rejected 1/);
    expect(r.stderr).toContain(join(dir, 'in.errors.csv'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rowsRead: 3, created: 2, rejected: 1, errorsFile: join(dir, 'in.errors.csv') });
    expect(await readFile(join(dir, 'in.errors.csv'), 'utf8')).toContain('4,手机号,');
    expect(await env.services.db.member.findUnique({ where: wherePhone('13900000101') })).toMatchObject({ homeStoreId: fx.stores.S1, memberNo: 'M00000013' });
    // Idempotent through the CLI too.
    const again = await crm(['import', file, '--as', 'hq_ops_01', '--store', 'S1', '--quiet']);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  }, 180_000);

  it('exports CSV masked by default, audited; --unmask shows full numbers', async () => {
    const out = join(dir, 'out.csv');
    const r = await crm(['export', '--fields', 'memberNo,name,phone', '--store', 'S1', '--as', 'hq_ops_01', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: expect.any(Number), maskedPhone: true });
    const lines = (await readFile(out, 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('memberNo,name,phone');
    expect(lines).toContain('M00000001,张伟,138****0001');
    expect(lines.join('\n')).not.toContain('13800000001');
    expect(await env.services.db.auditLog.findFirst({ where: { action: 'member.export', actorId: 'hq_ops_01' } })).toMatchObject({ channel: 'console' });

    const xlsx = join(dir, 'out.xlsx');
    const u = await crm(['export', '--fields', 'memberNo,phone', '--tag', 'VIP', '--unmask', '--as', 'hq_ops_01', '--out', xlsx]);
    expect(u.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean).map((v) => (v as unknown[]).slice(1));
    expect(rows).toEqual([
      ['memberNo', 'phone'],
      ['M00000001', '13800000001'],
    ]);
  }, 180_000);

  it('bad flags print usage and exit 2; failures print message and code, exit 1, no stack trace', async () => {
    const bad = await crm(['export', '--out', join(dir, 'x.csv'), '--fields', 'password']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage:');

    const nobody = await crm(['export', '--out', join(dir, 'x.csv'), '--as', 'ghost_01']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('[unknown_staff]');
    expect(nobody.stderr).not.toMatch(/\n\s+at /);

    const agent = await crm(['export', '--out', join(dir, 'x.csv'), '--as', 'agent_01']);
    expect(agent.code).toBe(1);
    expect(agent.stderr).toContain('[permission_denied]');

    const missing = await crm(['import', join(dir, 'nope.csv'), '--as', 'hq_ops_01']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  }, 180_000);
});
