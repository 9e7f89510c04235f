import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { errorBody } from '../http/errors.ts';
import type { Services } from '../services.ts';
import { exportLinkKey, TOKEN_RE, type ExportLink } from '../crm/insights/index.ts';

/**
 * GET /exports/:token — the download link of a segment export. The token (192 random bits) is
 * the capability: it maps to the file in Redis with the link's TTL. A well-formed token that
 * is no longer there (or whose file was purged) answers 410 Gone; a malformed one 404.
 * Not an admin-API operation (no bearer token, outside /api, not in the OpenAPI document), so a
 * plain Hono route; the request id comes from the edge's request-id middleware.
 */
export function exportRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/exports/:token', async (c) => {
    const requestId = c.var.requestId ?? '-';
    const token = c.req.param('token');
    if (!TOKEN_RE.test(token)) return c.json(errorBody('not_found', 'no such export', requestId), 404);
    const raw = await services.redis.get(exportLinkKey(services, token));
    const gone = () => c.json(errorBody('export_expired', '下载链接已过期，请重新导出。', requestId), 410);
    if (!raw) return gone();
    const link = JSON.parse(raw) as ExportLink;
    const info = await stat(link.file).catch(() => null);
    if (!info?.isFile()) return gone();
    const ascii = link.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return c.body(Readable.toWeb(createReadStream(link.file)) as ReadableStream, 200, {
      'content-type': link.contentType,
      'content-length': String(info.size),
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(link.filename)}`,
      'cache-control': 'no-store',
    });
  });
  return app;
}
