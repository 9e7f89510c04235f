/** End-to-end tests of the analytics command: spawned as a real process, as a user runs it. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, noServicesConfig, runTsx, stopChildren, type Run } from '../../test/support/child.ts';

const CDNOW_SAMPLE = fileURLToPath(new URL('../../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url));

function run(args: string[]): Promise<Run> {
  return runTsx(['src/cli/analytics.ts', ...args], childEnv(noServicesConfig()));
}

function parseCsv(text: string): Array<Record<string, string>> {
  const [header = '', ...lines] = text.trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] ?? '', v])));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'analytics-'));
});
afterAll(async () => {
  await stopChildren();
  await rm(dir, { recursive: true, force: true });
});

describe('analytics bgnbd', { timeout: 180_000 }, () => {
  it('fits CDNOW_sample, prints the parameters as JSON and writes one row per customer', async () => {
    const out = join(dir, 'cdnow.csv');
    const r = await run(['bgnbd', '--input', CDNOW_SAMPLE, '--format', 'cdnow', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.customers).toBe(2357);
    expect(report.holdoutWeeks).toBe(39);
    expect(report.bgnbd.r).toBeCloseTo(0.243, 2);
    expect(report.bgnbd.logLikelihood).toBeCloseTo(-9582.4, 0);
    expect(report.gammaGamma.p).toBeCloseTo(6.25, 2);
    expect(report.holdout.correlation).toBeGreaterThan(0.58);

    const rows = parseCsv(await readFile(out, 'utf8'));
    expect(rows.length).toBe(2357);
    expect(Object.keys(rows[0] ?? {})).toEqual(['customer_id', 'x', 't_x', 'T', 'p_alive', 'expected_holdout', 'actual_holdout', 'churn_risk']);
    expect(rows[0]).toMatchObject({ customer_id: '1', x: '2', t_x: '30.428571', T: '38.857143', actual_holdout: '1' });
    for (const row of rows) {
      const risk = Number(row.churn_risk);
      expect(risk).toBeGreaterThanOrEqual(0);
      expect(risk).toBeLessThanOrEqual(1);
      if (row.x === '0') expect(row.p_alive).toBe('1');
    }
    const actual = rows.reduce((s, row) => s + Number(row.actual_holdout), 0);
    expect(actual).toBe(report.holdout.actualPurchases);
  });

  it('reads a customer_id,date,amount CSV', async () => {
    const input = join(dir, 'orders.csv');
    const lines = ['customer_id,date,amount'];
    // 60 members with varied histories so the fit has something to fit
    for (let i = 0; i < 60; i++) {
      const visits = i % 5;
      for (let k = 0; k <= visits; k++) lines.push(`m${i},2024-0${1 + (k % 6)}-${String(1 + ((i + 7 * k) % 27)).padStart(2, '0')},${(10 + i + k).toFixed(2)}`);
    }
    lines.push('late,2024-07-10,5'); // first purchase after the calibration end: not in the output
    lines.push('m0,2024-07-02,9', 'm0,2024-07-02,1', 'm0,2024-08-01,3'); // holdout: 2 purchase days
    await writeFile(input, `${lines.join('\n')}\n`);
    const out = join(dir, 'orders-out.csv');
    const r = await run(['bgnbd', '--input', input, '--format', 'csv', '--calibration-end', '2024-06-30', '--holdout-end', '2024-09-30', '--out', out]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.customers).toBe(60);
    for (const v of [report.bgnbd.r, report.bgnbd.alpha, report.bgnbd.a, report.bgnbd.b, report.bgnbd.logLikelihood]) expect(Number.isFinite(v)).toBe(true);
    const rows = parseCsv(await readFile(out, 'utf8'));
    expect(rows.map((row) => row.customer_id)).not.toContain('late');
    const m0 = rows.find((row) => row.customer_id === 'm0');
    // m0: one calibration purchase on 2024-01-01 → x = 0, T = 181 days
    expect(m0).toMatchObject({ x: '0', t_x: '0', actual_holdout: '2', p_alive: '1' });
    expect(Number(m0?.T)).toBeCloseTo(181 / 7, 5);
  });

  it('exits 2 with a usage message and no stack trace on bad or missing flags', async () => {
    for (const args of [[], ['bgnbd'], ['bgnbd', '--input', 'x', '--format', 'xls', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--out', 'o.csv'], ['bgnbd', '--input', 'x', '--format', 'csv', '--calibration-end', '1997-02-30', '--holdout-end', '1998-06-30', '--out', 'o.csv'], ['bgnbd', '--nope']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/usage: npm run analytics -- bgnbd/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
    const r = await run(['bgnbd', '--format', 'csv', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--out', 'o.csv']);
    expect(r.stderr).toMatch(/--input: required/);
  });

  it('exits 1 with a clear message for an unreadable or malformed file', async () => {
    const common = ['--calibration-end', '2024-06-30', '--holdout-end', '2024-09-30', '--out', join(dir, 'x.csv')];
    const missing = await run(['bgnbd', '--input', join(dir, 'missing.csv'), '--format', 'csv', ...common]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*missing\.csv: ENOENT/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);

    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'customer_id,date,amount\na,2024-01-01,1\nb,01/02/2024,2\n');
    const malformed = await run(['bgnbd', '--input', bad, '--format', 'csv', ...common]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/line 3, column 2 \(date\): bad date "01\/02\/2024", expected YYYY-MM-DD/);
  });
});

// Each case spawns tsx processes; on a loaded 2-core machine one start takes seconds.
describe('analytics: the other models, the race and the report', { timeout: 180_000 }, () => {
  it('fits Pareto/NBD on the CDNOW sample to the published figures, told from the first line', async () => {
    const r = await run(['paretonbd', '--input', CDNOW_SAMPLE, '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.format).toBe('cdnow');
    expect(report.paretonbd.r).toBeCloseTo(0.553, 2);
    expect(report.paretonbd.s).toBeCloseTo(0.606, 2);
    expect(Math.abs(report.paretonbd.logLikelihood - -9595.0)).toBeLessThan(0.1);
    expect(report.holdout.actualPurchases).toBe(1882);
  });

  it('reads the full-release layout (4 columns, a header) and races the models by holdout likelihood', async () => {
    // The sample rewritten as the full release lays it out: customer id, date, CDs, dollars.
    const sample = await readFile(CDNOW_SAMPLE, 'utf8');
    const full = join(dir, 'CDNOW_master.txt');
    const lines = sample.trim().split('\n').map((l) => {
      const [, id, date, cds, dollars] = l.trim().split(/\s+/);
      return `${id} ${date} ${cds} ${dollars}`;
    });
    await writeFile(full, `customer_id date cds dollars\n${lines.join('\n')}\n`);
    const r = await run(['compare', '--input', full, '--format', 'cdnow-full', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.customers).toBe(2357);
    expect(report.models.map((m: { model: string }) => m.model)).toEqual(['bgnbd', 'mbgnbd', 'paretonbd']);
    const best = Math.max(...report.models.map((m: { holdoutLogLikelihood: number }) => m.holdoutLogLikelihood));
    expect(report.models.find((m: { model: string }) => m.model === report.chosen).holdoutLogLikelihood).toBe(best);
  });

  it('fits sBG on survivor counts and projects ahead', async () => {
    const r = await run(['sbg', '--survivors', '1000,869,743,653,593,551,517,491', '--ahead', '5']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.sbg.alpha).toBeCloseTo(0.668, 3);
    expect(report.survival).toHaveLength(13);
    expect(report.survival[12].projected).toBe(true);
    const bad = await run(['sbg', '--survivors', '100,90,95']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/95 survivors is more than the 90/);
  });

  it('fits BG/BB on weekly occasions from a CSV with mapped columns', async () => {
    const input = join(dir, 'visits.csv');
    const rows = ['会员,日期,金额'];
    for (let i = 0; i < 80; i++) for (let w = 0; w < 30; w++) if (w === 0 || (i % 4 !== 0 && (w * (i + 3)) % 7 < 3 + (i % 3) && w < 10 + (i % 20))) rows.push(`m${i},2024-${String(1 + Math.floor((w * 7) / 28)).padStart(2, '0')}-${String(1 + ((w * 7) % 28)).padStart(2, '0')},30`);
    await writeFile(input, `${rows.join('\n')}\n`);
    const out = join(dir, 'bgbb.csv');
    const r = await run(['bgbb', '--input', input, '--customer-column', '会员', '--date-column', '日期', '--amount-column', '金额', '--calibration-end', '2024-05-31', '--holdout-end', '2024-08-31', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.customers).toBe(80);
    for (const v of Object.values(report.bgbb).filter((v) => typeof v === 'number')) expect(Number.isFinite(v)).toBe(true);
    const csv = parseCsv(await readFile(out, 'utf8'));
    expect(csv).toHaveLength(80);
    expect(Object.keys(csv[0] ?? {})).toEqual(['customer_id', 'x', 't_x', 'n', 'p_alive', 'expected_holdout', 'actual_holdout', 'holdout_occasions']);
  });

  it('writes the validation report as PNG charts', async () => {
    const outDir = join(dir, 'report');
    const r = await run(['report', '--input', CDNOW_SAMPLE, '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--out-dir', outDir]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.charts.map((c: { file: string }) => c.file.split('/').pop())).toEqual(['holdout-by-frequency.png', 'weekly-tracking.png', 'churn-risk-calibration.png']);
    for (const c of report.charts) expect((await readFile(c.file)).subarray(1, 4).toString()).toBe('PNG');
    expect(report.summary.riskAuc).toBeGreaterThan(0.7);
  });
});
