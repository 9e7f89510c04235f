import { describe, expect, it } from 'vitest';
import { createLogger, prettyLogs } from './logger.ts';

describe('log format', () => {
  it('pretty lines are readable and scrubbed like JSON lines', () => {
    const lines: string[] = [];
    const log = createLogger('info', {}, { pretty: true, secrets: ['s3cr3t-value'], write: (l) => lines.push(l) });
    log.info({ to: '13812345678', token: 's3cr3t-value', ms: 12 }, 'push sent');
    const line = lines.join('');
    expect(line).toMatch(/INFO.*push sent/);
    expect(line.trimStart().startsWith('{')).toBe(false);
    expect(line).toContain('138****5678');
    expect(line).not.toContain('13812345678');
    expect(line).not.toContain('s3cr3t-value');
  });

  it('JSON unless asked: auto is pretty only in development on a terminal', () => {
    expect(prettyLogs({ LOG_FORMAT: 'auto', NODE_ENV: 'development' }, true)).toBe(true);
    expect(prettyLogs({ LOG_FORMAT: 'auto', NODE_ENV: 'development' }, false)).toBe(false);
    expect(prettyLogs({ LOG_FORMAT: 'auto', NODE_ENV: 'production' }, true)).toBe(false);
    expect(prettyLogs({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' }, false)).toBe(true);
    expect(prettyLogs({ LOG_FORMAT: 'json', NODE_ENV: 'development' }, true)).toBe(false);
    const lines: string[] = [];
    createLogger('info', {}, { write: (l) => lines.push(l) }).info({ a: 1 }, 'x');
    expect(JSON.parse(lines[0]!)).toMatchObject({ a: 1, msg: 'x' });
  });
});
