import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isAppError } from '../crm/kernel/index.ts';
import type { Logger } from '../logger.ts';

/** The one error body of every HTTP endpoint: `{ error: { code, message, requestId } }`. */
export function errorBody(code: string, message: string, requestId: string) {
  return { error: { code, message, requestId } };
}

/**
 * Maps any thrown error to HTTP (docs/architecture.md, conventions): AppErrors keep their status and code;
 * anything else is a 500 whose body reveals nothing but the request id, and is logged.
 */
export function handleHttpError(logger: Logger) {
  return (err: Error, c: Context) => {
    const requestId = (c.get('requestId' as never) as string | undefined) ?? '-';
    if (isAppError(err)) {
      const level = err.status >= 500 ? 'error' : 'warn';
      logger[level]({ requestId, code: err.code, status: err.status, path: c.req.path }, err.message);
      return c.json(errorBody(err.code, err.message, requestId), err.status as ContentfulStatusCode);
    }
    logger.error({ requestId, err, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('internal_error', 'internal error', requestId), 500);
  };
}
