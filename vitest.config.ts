import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each integration test file creates its own database and Redis prefix (test/support/env.ts),
    // so files run in parallel safely.
    pool: 'forks',
    // Generous: a set-up that creates a database, starts a fake or seeds a store waits on a shared
    // MariaDB; on a loaded machine (CI beside other work, load 20+) 60 s was not enough for some.
    // A timeout is not an assertion: a hung test still fails, just later.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
