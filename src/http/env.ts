import type { RequestIdVariables } from 'hono/request-id';
import type { Identity } from './identity.ts';

/**
 * The context variables of every request on the HTTP edge, so `c.get('requestId')` is typed
 * without casts: `requestId` is set by Hono's request-id middleware (app.ts) before anything else
 * runs; `identity` by the console's sign-in check (identity.ts) on the routes that need one;
 * `arrivedAt` (performance.now() when the request reached the app) by the access log, so a
 * channel's reply budget counts from arrival, not from when its handler got the CPU. Sub-apps
 * that add variables (the admin API's `actor`) extend this.
 */
export type AppEnv = { Variables: RequestIdVariables & { identity?: Identity; arrivedAt?: number } };
