/** Every log line is scrubbed before it is written (docs/guides/administrator.md, "Secrets in the log"). */
import { afterEach, describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, secretValues } from '../../src/config.ts';
import { createLogger, flushStdout, scrubLine } from '../../src/logger.ts';

const realWrite = process.stdout.write.bind(process.stdout);
afterEach(() => {
  process.stdout.write = realWrite;
});

/** The lines a logger writes while `fn` runs. */
function capture(fn: () => void): string {
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
    flushStdout(); // lines are held until the end of the event loop's turn (src/logger.ts)
  } finally {
    process.stdout.write = realWrite;
  }
  return out;
}

describe('log scrubbing', () => {
  it('masks URL passwords, secret values and mobile numbers in messages and in fields', () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'mysql://app:dbPw-77aa@db:3306/crm', REDIS_URL: 'redis://:rPw-88bb@cache:6379', LLM_API_KEY: 'sk-live-123456' });
    const logger = createLogger('info', {}, { secrets: secretValues(config) });
    const out = capture(() => {
      logger.info({ config: describeConfig(config) }, 'starting');
      logger.warn({ err: new Error('connect to redis://:rPw-88bb@cache:6379 failed') }, 'request to the LLM with sk-live-123456 failed');
      logger.info({ phone: '13800000001', member: { phone: '13900000002' } }, 'member 13700000003 identified');
    });
    for (const s of ['dbPw-77aa', 'rPw-88bb', 'sk-live-123456', '13800000001', '13900000002', '13700000003']) expect(out).not.toContain(s);
    expect(out).toContain('redis://:***@cache:6379');
    expect(out).toContain('mysql://app:***@db:3306/crm');
    expect(out).toContain('137****0003');
    expect(out.trim().split('\n')).toHaveLength(3);
  });

  it('leaves timestamps, ids and other long digit runs alone', () => {
    expect(scrubLine('{"time":1796430714828,"orderNo":"O20261205000123","msg":"ok"}')).toBe('{"time":1796430714828,"orderNo":"O20261205000123","msg":"ok"}');
  });
});
