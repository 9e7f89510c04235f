import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Runs `code` in a child node (tsx) and returns what it wrote to stdout, a pipe as in production. */
const run = (code: string) => execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });

describe('log lines on stdout (held for one turn of the event loop)', () => {
  it('writes the lines of one turn in order, in one write, and keeps those logged just before process.exit', () => {
    const out = run(`
      import { createLogger } from './src/logger.ts';
      let writes = 0;
      const real = process.stdout.write.bind(process.stdout);
      process.stdout.write = (chunk, ...rest) => { writes++; return real(chunk, ...rest); };
      const log = createLogger('info');
      for (let i = 0; i < 5; i++) log.info({ i }, 'line');
      setImmediate(() => {
        real('writes=' + writes + '\\n');
        log.warn('last words 13812345678');
        process.exit(3 - 3);
      });
    `);
    const lines = out.trim().split('\n');
    expect(lines.slice(0, 5).map((l) => JSON.parse(l).i)).toEqual([0, 1, 2, 3, 4]);
    expect(lines[5]).toBe('writes=1');
    // Logged in the turn that exits: written by the exit, still scrubbed.
    expect(JSON.parse(lines[6]!)).toMatchObject({ msg: 'last words 138****5678' });
  });
});
