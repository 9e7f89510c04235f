/**
 * Child processes of a test (a CLI run as a user runs it, a worker to kill and restart).
 *
 * Their environment is explicit and comes from the test's own config, never from the caller's:
 * an exported REDIS_URL, DATABASE_URL, LOG_LEVEL, NODE_ENV or DEBUG would otherwise send the
 * child to another database, or change what it prints. Only the machine variables a process
 * needs to start (PATH, HOME, TMPDIR) are passed through.
 */
import { loadConfig, type Config } from '../../src/config.ts';

const MACHINE_VARS = ['PATH', 'HOME', 'TMPDIR'] as const;

/**
 * The config of a child that needs no database or Redis: addresses where nothing listens, so a
 * child that tried to use them would fail loudly instead of touching a real database.
 */
export function noServicesConfig(): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'mysql://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: 'crm_t_none' });
}

/** The whole environment of a child: every variable of `config` (defaults included), plus PATH, HOME and TMPDIR. */
export function childEnv(config: Config, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of MACHINE_VARS) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  for (const [k, v] of Object.entries(config)) if (v !== undefined) env[k] = String(v);
  return { ...env, ...extra };
}
