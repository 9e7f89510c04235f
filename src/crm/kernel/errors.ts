/**
 * Every failure we raise on purpose carries a machine code, an HTTP status and whether the
 * caller may retry (docs/architecture.md, conventions; the codes: docs/errors.md). One handler
 * (src/http/errors.ts) maps them to HTTP; BullMQ processors rethrow retryable ones and wrap the rest in UnrecoverableError.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly retryable = false,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(code, message, 400, false, details);
export const unauthorized = (code: string, message: string) => new AppError(code, message, 401, false);
export const forbidden = (code: string, message: string) => new AppError(code, message, 403, false);
export const notFound = (code: string, message: string) => new AppError(code, message, 404, false);
export const payloadTooLarge = (code: string, message: string) => new AppError(code, message, 413, false);
/** An outside service failed in a way that may pass on a later try. */
export const upstream = (code: string, message: string, retryable = true, details?: unknown) => new AppError(code, message, 502, retryable, details);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
