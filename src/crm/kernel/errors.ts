/**
 * Every failure we raise on purpose carries a machine code from the registry (error-codes.ts,
 * listed in docs/errors.md), which gives its HTTP status and whether the caller may retry. One
 * handler (src/http/errors.ts) maps them to HTTP; BullMQ processors rethrow retryable ones and
 * wrap the rest in UnrecoverableError.
 */
import { ERROR_CODES, type CodeWithStatus, type ErrorCode, type ErrorStatus, type StatusOf } from './error-codes.ts';

export type { ErrorCode, ErrorStatus } from './error-codes.ts';

export interface AppErrorOptions<C extends ErrorCode> {
  /** Logged and, for `issues`, sent with the error body; never shown to chat users. */
  details?: unknown;
  /** Only a status the registry declares for the code (its `alsoStatus`); the registry's by default. */
  status?: StatusOf<C>;
}

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly status: ErrorStatus;
  readonly retryable: boolean;
  readonly details?: unknown;

  constructor(readonly code: C, message: string, opts: AppErrorOptions<C> = {}) {
    super(message);
    this.name = 'AppError';
    const spec = ERROR_CODES[code];
    this.status = (opts.status as ErrorStatus | undefined) ?? spec.status;
    this.retryable = spec.retryable;
    this.details = opts.details;
  }
}

// Shorthands that also say the status at the call site; each accepts only the codes registered with it.
export const badRequest = (code: CodeWithStatus<400>, message: string, details?: unknown) => new AppError(code, message, { details });
export const unauthorized = (code: CodeWithStatus<401>, message: string) => new AppError(code, message);
export const forbidden = (code: CodeWithStatus<403>, message: string) => new AppError(code, message);
export const notFound = (code: CodeWithStatus<404>, message: string) => new AppError(code, message);
export const conflict = (code: CodeWithStatus<409>, message: string, details?: unknown) => new AppError(code, message, { details });
export const payloadTooLarge = (code: CodeWithStatus<413>, message: string) => new AppError(code, message);

/** One offending field: its path in the input (array items by number) and what is wrong with it. */
export type FieldIssue = { path: (string | number)[]; message: string; code?: string };

/**
 * The 400 of an input that breaks a rule beyond its schema (an unknown store, a date in the
 * future, staff named in a setting who left): `issues` name each field, shaped like the API's own
 * validation errors ({path, message, code}), so clients read both the same way. The one builder
 * for domain input errors (customers, intake, settings, staff, insights periods).
 */
export function fieldErrors(code: CodeWithStatus<400>, issues: FieldIssue[]): AppError {
  const named = issues.map((i) => ({ path: i.path, message: i.message, code: i.code ?? 'custom' }));
  return badRequest(code, named.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '), { issues: named });
}

/** fieldErrors for a single field. */
export const fieldError = (code: CodeWithStatus<400>, field: (string | number)[], message: string): AppError => fieldErrors(code, [{ path: field, message }]);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
