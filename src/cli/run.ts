import { ConfigError } from '../config.ts';
import { isAppError } from '../crm/kernel/index.ts';

/** One line for a failure: the message and its code (AppError's, or a driver's such as ECONNREFUSED), never a stack. */
export function describeCliError(e: unknown): string {
  if (isAppError(e)) return `${e.message} [${e.code}]`;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' && code ? `${e.message} [${code}]` : e.message;
  }
  return String(e);
}

/**
 * Runs a command-line entry: `main` resolves to the exit code; a bad configuration (loadConfig's
 * ConfigError, naming each bad variable) prints "<name>: <message>" and exits 2; any other thrown
 * error prints "<name> failed: <message> [code]" on stderr and exits 1. Expected failures (a
 * non-empty database, a bad option, a lock held) are AppErrors and read as plain sentences.
 */
export function runCli(name: string, main: () => Promise<number>): void {
  // Through a promise, so a synchronous throw (loadConfig before any await) is handled the same.
  Promise.resolve().then(main).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof ConfigError) {
        process.stderr.write(`${name}: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`${name} failed: ${describeCliError(e)}\n`);
      process.exitCode = 1;
    },
  );
}
