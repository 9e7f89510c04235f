import type { Context, Env, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, isAppError, type ErrorCode } from '../crm/kernel/index.ts';
import type { Logger } from '../logger.ts';
import type { AppEnv } from './env.ts';

/**
 * The one error body of every HTTP endpoint: `{ error: { code, message, requestId } }`, plus
 * `issues` (where and what) when a request broke a schema.
 */
export function errorBody(code: ErrorCode, message: string, requestId: string, issues?: unknown, existingId?: number) {
  return { error: { code, message, requestId, ...(issues ? { issues } : {}), ...(existingId !== undefined ? { existingId } : {}) } };
}

/** Codes for the 4xx that Hono's own middleware throws as HTTPException (e.g. its JSON validator). */
const HTTP_EXCEPTION_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'permission_denied',
  404: 'not_found',
  413: 'payload_too_large',
};

/**
 * A client mistake reported by Hono as an HTTPException, as the AppError it stands for; a 5xx
 * HTTPException is ours, so it stays an unexpected error. "Malformed JSON" keeps the code our
 * own JSON parsing uses.
 */
function fromHttpException(err: HTTPException): AppError | undefined {
  if (err.status >= 500) return undefined;
  if (err.status === 400 && /malformed json/i.test(err.message)) return new AppError('invalid_json', 'the request body is not valid JSON');
  const code = HTTP_EXCEPTION_CODES[err.status] ?? 'invalid_request';
  return new AppError(code, err.message || code.replaceAll('_', ' '));
}

// Typed by the request-id middleware for every env (AppEnv and the envs that extend it).
const requestIdOf = (c: Context) => c.get('requestId') ?? '-';

/**
 * Maps any thrown error to HTTP, for the whole app and the admin API alike: AppErrors keep their
 * registered status and code (docs/errors.md), with `issues` when their details carry some;
 * Hono's HTTPExceptions become the matching 4xx code; anything else is a 500 whose body reveals
 * nothing but the request id (no message, no stack), and is logged with the stack.
 */
export function handleHttpError<E extends Env = AppEnv>(logger: Logger): ErrorHandler<E> {
  return (err, c) => {
    const requestId = requestIdOf(c);
    const e = isAppError(err) ? err : err instanceof HTTPException ? fromHttpException(err) : undefined;
    if (!e) {
      logger.error({ requestId, err, path: c.req.path }, 'unhandled error');
      return c.json(errorBody('internal_error', 'internal error', requestId), 500);
    }
    // A missing or bad credential is routine (probes, expired tokens): info, not warn.
    const level = e.status >= 500 ? 'error' : e.status === 401 ? 'info' : 'warn';
    logger[level]({ requestId, code: e.code, status: e.status, path: c.req.path }, e.message);
    const details = e.details as { issues?: unknown; existingId?: unknown } | undefined;
    // A 409 on a unique value names the record holding it (docs/api.md), so a client can link to it.
    const existingId = e.status === 409 && typeof details?.existingId === 'number' ? details.existingId : undefined;
    return c.json(errorBody(e.code, e.message, requestId, details?.issues, existingId), e.status);
  };
}

/** The 404 of a path no route answers, in the same error body. */
export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`, requestIdOf(c)), 404);
