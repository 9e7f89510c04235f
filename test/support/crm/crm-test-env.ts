import { afterAll, beforeAll } from 'vitest';
import { createTestEnv, type TestEnv } from '../env.ts';
import type { Services } from '../../../src/services.ts';
import type { StaffAccess } from '../../../src/crm/kernel/access.ts';
import { createFixture, NOW, type Fixture } from './fixture.ts';

export interface CrmTestEnv {
  /** The test database's services, with `now()` reading the movable clock below. */
  readonly services: Services;
  readonly fx: Fixture;
  readonly env: TestEnv;
  /** The injected clock's current time (starts at the fixture's NOW). */
  now(): Date;
  /** Moves the clock. */
  at(when: Date | string): Date;
  /** An access of one fixture staff member over the console channel, with a fresh request id. */
  as(who: keyof Fixture['staff']): StaffAccess;
  /** A fixture member's id by member number. */
  id(memberNo: string): number;
}

/**
 * The setup CRM integration tests share: registers beforeAll/afterAll (a migrated database of
 * the test's own, the hand-made fixture, cleanup) and returns accessors valid inside tests.
 * Call it in a describe block. `afterFixture` runs once after the fixture is loaded.
 */
export function useCrmTestEnv(label: string, opts: { afterFixture?: (services: Services) => Promise<unknown> } = {}): CrmTestEnv {
  let env: TestEnv | undefined;
  let services: Services | undefined;
  let fx: Fixture | undefined;
  let clock = NOW;
  let seq = 0;
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('useCrmTestEnv: used outside a test (before beforeAll ran)');
    return v;
  };
  beforeAll(async () => {
    env = await createTestEnv(label);
    services = { ...env.services, now: () => clock };
    fx = await createFixture(services);
    await opts.afterFixture?.(services);
  });
  afterAll(async () => env?.cleanup());
  const t: CrmTestEnv = {
    get services() {
      return ready(services);
    },
    get fx() {
      return ready(fx);
    },
    get env() {
      return ready(env);
    },
    now: () => clock,
    at: (when) => (clock = new Date(when)),
    as: (who) => ({ services: t.services, actor: t.fx.staff[who], channel: 'console', requestId: `${label}-${++seq}` }),
    id: (memberNo) => ready(t.fx.memberIds[memberNo]),
  };
  return t;
}
