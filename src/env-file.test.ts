import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnvFile } from './env-file.ts';

// process.loadEnvFile writes process.env itself, so these tests use variable names no other code reads.
const NAMES = ['CRM_ENVFILE_T_A', 'CRM_ENVFILE_T_B'];
afterEach(() => { for (const n of NAMES) delete process.env[n]; });

describe('.env loading (no shell step)', () => {
  it('loads .env from the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envfile-'));
    writeFileSync(join(dir, '.env'), 'CRM_ENVFILE_T_A=here\n');
    expect(loadEnvFile({}, dir)).toBe(join(dir, '.env'));
    expect(process.env.CRM_ENVFILE_T_A).toBe('here');
  });

  it('loads the file ENV_FILE names; a variable already in the environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envfile-'));
    const file = join(dir, 'app.env');
    writeFileSync(file, 'CRM_ENVFILE_T_A=from-file\nCRM_ENVFILE_T_B="quoted value"\n');
    process.env.CRM_ENVFILE_T_A = 'from-environment';
    expect(loadEnvFile({ ENV_FILE: file })).toBe(file);
    expect(process.env.CRM_ENVFILE_T_A).toBe('from-environment');
    expect(process.env.CRM_ENVFILE_T_B).toBe('quoted value');
  });

  it('a named file that is missing stops start-up; a missing default .env does not', () => {
    expect(() => loadEnvFile({ ENV_FILE: '/nonexistent/crm.env' })).toThrow(/ENV_FILE=\/nonexistent\/crm.env: no such file/);
    expect(loadEnvFile({}, mkdtempSync(join(tmpdir(), 'envfile-')))).toBeNull();
  });
});
