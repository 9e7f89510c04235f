import type { RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ROLE_PERMISSIONS, type Permission, type StaffAccess, type StaffActor } from '../crm/kernel/index.ts';
import type { AppEnv } from '../http/env.ts';
import { errorSchema } from './schemas.ts';

/**
 * Hono context variables of the API: the request id (hono/request-id, set by the edge), and,
 * under /api/crm, the authenticated staff actor and the access the CRM functions take (both set
 * by the bearer-token middleware, src/api/auth.ts).
 */
export type ApiEnv = { Variables: AppEnv['Variables'] & { actor: StaffActor; access: StaffAccess } };

/** Which roles hold a permission, for the reference (the same table the CRM enforces). */
export function rolesWith(permission: Permission): string[] {
  return Object.entries(ROLE_PERMISSIONS)
    .filter(([, perms]) => (perms as readonly string[]).includes(permission))
    .map(([role]) => role);
}

/**
 * What the caller's role must allow, spread into `createRoute({...})`: the mount checks it before
 * looking at the input (403), the CRM function checks again (defence in depth), and the document
 * shows it as `x-permission` with the roles that hold it (`x-roles`).
 */
export function requires(permission: Permission) {
  return { 'x-permission': permission, 'x-roles': rolesWith(permission) } as const;
}

/** A JSON success response (`responses: { 200: ok(schema) }`). */
export function ok<S extends z.ZodType>(schema: S, description = 'OK') {
  return { description, content: { 'application/json': { schema } } } as const;
}

/** A required JSON request body, with an example for the reference page. */
export function jsonBody<S extends z.ZodType>(schema: S, example?: unknown) {
  return { required: true, content: { 'application/json': { schema, ...(example !== undefined ? { example } : {}) } } } as const;
}

const ERROR_TEXT = {
  400: 'Malformed request: bad path or query parameter, or a body that is not JSON',
  401: 'Missing, unknown or revoked bearer token',
  403: "The token's role lacks the permission",
  404: 'Not found, or outside the caller’s store scope (the API does not tell them apart)',
  409: 'Conflict with the current state',
  410: 'Gone: the export or its download window has expired',
  415: 'The request has a body that is not declared as JSON (send content-type: application/json)',
  422: 'The JSON body does not match the schema',
} as const;
export type ErrorStatus = keyof typeof ERROR_TEXT;

/**
 * The error responses of an operation, all with the one error body (`#/components/schemas/Error`):
 * 400, 401 and 403 always, plus the ones given (422 and 415 for a route with a body, 404, 409).
 */
export function errors(...extra: ErrorStatus[]) {
  const codes = [...new Set<ErrorStatus>([400, 401, 403, ...extra])].sort();
  return Object.fromEntries(codes.map((code) => [code, { description: ERROR_TEXT[code], content: { 'application/json': { schema: errorSchema } } }])) as Record<
    ErrorStatus,
    { description: string; content: { 'application/json': { schema: typeof errorSchema } } }
  >;
}

/** The error responses of an operation with a JSON body: 415 and 422 besides the given ones. */
export const bodyErrors = (...extra: ErrorStatus[]) => errors(415, 422, ...extra);

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;
type ParamsOf<R> = R extends { request: { params: infer P } } ? Output<P> : undefined;
type QueryOf<R> = R extends { request: { query: infer Q } } ? Output<Q> : undefined;
type BodyOf<R> = R extends { request: { body: { content: { 'application/json': { schema: infer B } } } } } ? Output<B> : undefined;
type JsonOf<T> = T extends { content: { 'application/json': { schema: infer S extends z.ZodType } } } ? z.input<S> : never;
/** What the handler returns: the body of the declared 200/201 JSON response (a Response for a download). */
type SuccessOf<R> = R extends { responses: infer Rs } ? { [K in keyof Rs]: K extends 200 | 201 | '200' | '201' ? JsonOf<Rs[K]> : never }[keyof Rs] : never;

export interface HandlerInput<R> {
  params: ParamsOf<R>;
  query: QueryOf<R>;
  body: BodyOf<R>;
  /** Who is asking (from the bearer token) and through which request, for the CRM functions. */
  access: StaffAccess;
  c: Context<ApiEnv>;
}

/**
 * One API operation: its declaration (`createRoute` of @hono/zod-openapi, with `requires(...)`),
 * from which the Hono route, its validators and its OpenAPI entry are derived, and a handler that
 * gets the validated input and returns the body of the success response. The mount
 * (src/api/mount.ts) checks that body against the declared schema before sending it.
 * Paths are OpenAPI style (`/crm/customers/{id}`), relative to `/api`.
 */
export interface ApiRoute<R extends RouteConfig = RouteConfig> {
  route: R & { 'x-permission': Permission };
  handler(input: HandlerInput<R>): Promise<SuccessOf<R> | Response>;
}

/** Pairs a declaration with its handler, the handler's input and result typed from the declaration. */
export function apiRoute<const R extends RouteConfig & { 'x-permission': Permission }>(route: R, handler: (input: HandlerInput<R>) => Promise<SuccessOf<R> | Response>): ApiRoute<R> {
  return { route, handler };
}

/** A route of any shape, as the registry and the mount hold it (the handler's input unknown). */
export interface AnyRoute {
  route: RouteConfig & { 'x-permission': Permission };
  handler(input: Omit<HandlerInput<unknown>, 'params' | 'query' | 'body'> & { params: unknown; query: unknown; body: unknown }): Promise<unknown>;
}
