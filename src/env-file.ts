import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Loads `.env` from the working directory (or the file ENV_FILE names) into process.env before
 * the configuration is parsed, so a deployment needs no shell step. Variables already in the
 * environment win over the file (Node's own rule for process.loadEnvFile), so an operator's
 * explicit setting is never overridden by a forgotten file. A named ENV_FILE that is missing is
 * an error; a missing `.env` is not.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, dir = process.cwd()): string | null {
  const named = env.ENV_FILE?.trim();
  const file = resolve(dir, named || '.env');
  if (!existsSync(file)) {
    if (named) throw new Error(`ENV_FILE=${named}: no such file`);
    return null;
  }
  process.loadEnvFile(file);
  return file;
}
