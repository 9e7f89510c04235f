import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { payloadTooLarge } from '../crm/kernel/index.ts';
import { handleHttpError } from '../http/errors.ts';
import type { Services } from '../services.ts';
import { bearerAuth } from './auth.ts';
import { mountRoutes, validationHook } from './mount.ts';
import { buildOpenApi } from './openapi.ts';
import { mountReference } from './reference.ts';
import type { ApiEnv } from './route.ts';
import { apiRouteList } from './routes/index.ts';

export const API_VERSION = '1.0.0';

/** Largest request body: a batch of 10,000 member ids is ~80 KB, so 1 MB leaves room and stops abuse. */
export const API_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The admin REST API, mounted at /api: `/api/openapi.json` and `/api/docs` are public (they hold
 * no data); everything under `/api/crm` needs a bearer token. Errors use the edge's one body
 * `{error:{code,message,requestId}}`, plus `issues` for validation failures.
 */
export function apiRoutes(services: Services): OpenAPIHono<ApiEnv> {
  const api = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const admin = services.config.ADMIN_TOKEN;
  if (admin && admin.length < 24) services.logger.warn('ADMIN_TOKEN is shorter than 24 characters: use a long random value (e.g. openssl rand -hex 32)');
  const routes = apiRouteList();

  // The edge's one handler (also when the API is used on its own, as in tests).
  api.onError(handleHttpError(services.logger));

  api.use('/crm/*', bearerAuth(services));
  api.use(
    '/crm/*',
    bodyLimit({
      maxSize: API_MAX_BODY_BYTES,
      onError: () => {
        throw payloadTooLarge('payload_too_large', `the request body is larger than ${API_MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  mountRoutes(api, routes);

  const doc = buildOpenApi(api, routes, { version: API_VERSION });
  api.get('/openapi.json', (c) => c.json(doc));
  mountReference(api, { base: '/api', docs: '/docs', doc: '/openapi.json', title: 'wecom-crm-bot admin API — reference' });
  api.get('/', (c) => c.redirect('/api/docs'));
  return api;
}
