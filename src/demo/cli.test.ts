import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childEnv, noServicesConfig } from '../../test/support/child.ts';
import { parseSeedArgs } from './cli-args.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('db:seed arguments', () => {
  it('parses the documented flags', () => {
    expect(parseSeedArgs(['--members', '500', '--seed', '9', '--reset', '--now', '2026-11-21'])).toEqual({
      ok: true,
      args: { members: 500, seed: 9, now: new Date('2026-11-20T16:00:00.000Z'), reset: true, quiet: false, help: false },
    });
    expect(parseSeedArgs([])).toEqual({ ok: true, args: { reset: false, quiet: false, help: false } });
  });

  it.each([
    [['--members', 'lots'], /--members must be a whole number/],
    [['--members', '3'], /at least 5/],
    [['--seed', '-1'], /seed/],
    [['--now', '21/11/2026'], /--now must be a date/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional/],
  ])('rejects %j', (argv, message) => {
    const r = parseSeedArgs(argv);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
  });

  it('exits 2 with the usage and no stack trace on a bad flag', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts', '--members', 'x'], { cwd: ROOT, env: childEnv(noServicesConfig()), encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: npm run db:seed');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
