import { z } from 'zod';
import { ROLE_PERMISSIONS } from '../crm/kernel/index.ts';
import type { AnyRoute } from './route.ts';
import { errorSchema } from './schemas.ts';

type JsonSchema = Record<string, unknown>;

/** JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) of a zod schema, without the `$schema` header. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request: bad path or query parameter, or a body that is not JSON',
  401: 'Missing, unknown or revoked bearer token',
  403: "The token's role lacks the permission",
  404: 'Not found, or outside the caller’s store scope (the API does not tell them apart)',
  409: 'Conflict with the current state',
  422: 'The JSON body does not match the schema',
};

/** Path or query parameters from an object schema: one OpenAPI parameter per property. */
function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input');
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** Which roles hold a permission, for the reference (the same table the CRM enforces). */
export function rolesWith(permission: string): string[] {
  return Object.entries(ROLE_PERMISSIONS)
    .filter(([, perms]) => (perms as readonly string[]).includes(permission))
    .map(([role]) => role);
}

/**
 * The OpenAPI 3.1 document of the admin API, derived from the same route declarations that
 * are mounted (src/api/mount.ts). Inputs are described as the client sends them (zod input
 * side: query values are strings coerced to numbers), responses as the server returns them.
 */
export function buildOpenApi(routes: readonly AnyRoute[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes) {
    const ok = String(r.status ?? 200);
    const errorCodes = [...new Set([400, 401, 403, ...(r.body ? [422] : []), ...(r.errors ?? [])])].sort();
    const op: JsonSchema = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      'x-permission': r.permission,
      'x-roles': rolesWith(r.permission),
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input'), ...(r.example !== undefined ? { example: r.example } : {}) } } } }
        : {}),
      responses: {
        [ok]: r.produces
          ? { description: r.produces.description, content: { [r.produces.contentType]: { schema: { type: 'string' } } } }
          : { description: 'OK', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } },
        ...Object.fromEntries(
          errorCodes.map((code) => [String(code), { description: ERROR_TEXT[code] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
        ),
      },
    };
    const path = `/api${r.path}`;
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'wecom-crm-bot admin API',
      version: info.version,
      description:
        'Admin REST API of the CRM. Authenticate with `Authorization: Bearer <token>` (a token from `npm run crm:token`, or ADMIN_TOKEN). ' +
        'Store managers and agents see only the members of their stores: another store’s member is a 404. ' +
        'Phones are masked unless the role may see them. Every error is `{ "error": { "code", "message", "requestId" } }` and every response carries `x-request-id`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API token (crm_…) or ADMIN_TOKEN' } },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
  };
}
