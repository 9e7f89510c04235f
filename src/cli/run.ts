import { isAppError } from '../errors.ts';

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
 * Runs a command-line entry: `main` resolves to the exit code; a thrown error prints
 * "<name> failed: <message> [code]" on stderr and exits 1. Expected failures (a non-empty
 * database, a bad option, a lock held) are AppErrors and read as plain sentences.
 */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${name} failed: ${describeCliError(e)}\n`);
      process.exitCode = 1;
    },
  );
}
