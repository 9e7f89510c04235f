import { isAppError } from '../../crm/kernel/index.ts';
import type { ParseResult, RawRequest } from '../types.ts';

/**
 * Wraps a parser that throws AppErrors into the adapter contract's parse(): client mistakes
 * (4xx) come back as `{ ok: false, error }`, never thrown; anything else is our bug and surfaces.
 */
export function returningClientErrors(parseOrThrow: (req: RawRequest, now: Date, requestId: string) => ParseResult) {
  return (req: RawRequest, now: Date, requestId: string): ParseResult => {
    try {
      return parseOrThrow(req, now, requestId);
    } catch (e) {
      if (isAppError(e) && e.status < 500) return { ok: false, error: e };
      throw e;
    }
  };
}
