import type { Context } from 'hono';
import { z } from 'zod';
import type { StaffActor } from '../bot/types.ts';
import type { StaffAccess } from '../crm/kernel/index.ts';
import type { Permission } from '../crm/kernel/index.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Hono context variables of the API: the authenticated staff actor and the request id. */
export type ApiEnv = { Variables: { actor: StaffActor; requestId: string } };

export interface HandlerInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** Who is asking (from the bearer token) and through which request, for the CRM functions. */
  access: StaffAccess;
  c: Context<ApiEnv>;
}

/**
 * One API operation, declared once: the Hono route (src/api/mount.ts) and its OpenAPI entry
 * (src/api/openapi.ts) are both derived from this, so the document cannot drift from the code.
 * `path` is OpenAPI style (`/crm/customers/{id}`), relative to `/api`.
 */
export interface ApiRoute<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** Group on the reference page (customers, tags, tickets …). */
  tag: string;
  /** What the caller's role must allow; the CRM function checks again (defence in depth). */
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status (200 unless it creates something). */
  status?: 200 | 201;
  /** Extra documented error statuses beyond 400/401/403 (e.g. 404, 409, 422). */
  errors?: number[];
  /** An example request body for the reference page's curl line. */
  example?: unknown;
  /**
   * A non-JSON success body (e.g. a CSV download): the handler then returns a Response, and the
   * document lists this content type with a string body instead of the JSON schema.
   */
  produces?: { contentType: 'text/csv'; description: string };
  handler(input: HandlerInput<P, Q, B>): Promise<z.input<R> | Response>;
}

/** Declares a route with its types inferred from the schemas (the identity, for inference). */
export function defineRoute<P extends z.ZodType = z.ZodObject<{}>, Q extends z.ZodType = z.ZodObject<{}>, B extends z.ZodType = z.ZodUndefined, R extends z.ZodType = z.ZodType>(
  route: ApiRoute<P, Q, B, R>,
): ApiRoute<P, Q, B, R> {
  return route;
}

// biome-ignore lint: the registry holds routes of every shape.
export type AnyRoute = ApiRoute<any, any, any, any>;

/** `/crm/customers/{id}` → `/crm/customers/:id` (Hono's syntax). */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
