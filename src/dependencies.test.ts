import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { waitForDependencies } from './dependencies.ts';

describe('waitForDependencies', () => {
  it('counts the MySQL server as reachable when the database does not exist yet (a fresh machine: the migrations create it)', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const ok = await waitForDependencies({ mysql: 'mysql://root@127.0.0.1:3306/crm_no_such_database_yet', redis: 'redis://127.0.0.1:6379' }, logger, () => false, async () => {
      throw new Error('retried: the first attempt should have succeeded');
    });
    expect(ok).toBe(true);
    expect(lines.filter((l) => l.includes('unreachable'))).toEqual([]);
  });
});
