import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, noServicesConfig, spawnTsx, stopChildren } from '../support/child.ts';
import { evalSetNames, resolveEvalSet } from '../support/intents-eval.ts';

/**
 * Which evaluation sets `npm run eval:intents -- --set <name>` takes: tuning (gated) and any
 * other directory under test/intents/ (blind: reported, never gated). Only directory names are
 * looked at here — never a blind set's contents.
 */
describe('evaluation sets', () => {
  const roots: string[] = [];
  afterAll(async () => {
    await stopChildren();
    for (const r of roots) await rm(r, { recursive: true, force: true });
  });

  it('takes tuning as the gated set and every other directory as a blind one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'eval-sets-'));
    roots.push(root);
    for (const d of ['tuning', 'test2', 'zz_later']) await mkdir(join(root, d));
    await writeFile(join(root, 'notes.jsonl'), '');
    expect(await evalSetNames(root)).toEqual(['tuning', 'test', 'test2', 'zz_later']);
    expect(await resolveEvalSet('tuning', root)).toEqual({ name: 'tuning', dir: join(root, 'tuning') + '/', blind: false });
    expect(await resolveEvalSet('test2', root)).toEqual({ name: 'test2', dir: join(root, 'test2') + '/', blind: true });
    // test stays a set by name, as before, even where its directory is absent ("(not present)").
    expect((await resolveEvalSet('test', root)).blind).toBe(true);
    for (const bad of ['nope', 'notes.jsonl', '../tuning', 'tuning/..', '']) {
      await expect(resolveEvalSet(bad, root)).rejects.toThrow(/unknown evaluation set .*\nusage: npm run eval:intents \[-- --set tuning\|test\|test2\|zz_later\]/);
    }
  });

  it('the script refuses an unknown --set with the usage line and exit code 2, touching nothing', async () => {
    // No database or Redis where this child looks: an attempt to evaluate would fail loudly.
    const child = spawnTsx(['scripts/eval-intents.ts', '--set', 'nope'], childEnv(noServicesConfig()));
    let out = '';
    let err = '';
    child.stdout!.on('data', (b) => (out += b));
    child.stderr!.on('data', (b) => (err += b));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/^unknown evaluation set "nope" \(a directory under test\/intents\/\)\nusage: npm run eval:intents \[-- --set tuning\|test[|\w]*\] \[--misses\]\n$/);
    expect(out).toBe('');
  }, 180_000);
});
