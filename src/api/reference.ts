import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { Scalar } from '@scalar/hono-api-reference';
import type { Hono } from 'hono';
import type { ApiEnv } from './route.ts';

/**
 * The Scalar bundle of the installed @scalar/api-reference (dist/browser/standalone.js). The
 * package exports only its ESM entry, so its folder is found from there.
 */
export function scalarBundle(): { file: string; version: string } {
  let dir = dirname(createRequire(import.meta.url).resolve('@scalar/api-reference'));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string };
      if (pkg.name === '@scalar/api-reference') return { file: join(dir, 'dist', 'browser', 'standalone.js'), version: pkg.version };
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('@scalar/api-reference: package.json not found');
    dir = up;
  }
}

/**
 * The interactive API reference at `/api/docs` (Scalar's Hono middleware) and the script it runs,
 * served by this server from node_modules at a versioned URL, so the page works on an intranet
 * with no internet: nothing is fetched from a CDN, the default fonts (from Scalar's font host)
 * are off, and so are the "open in Scalar's client", telemetry and agent features that call out.
 * `docs` and `doc` are paths on the API app, which is mounted at `base`.
 */
export function mountReference(api: Hono<ApiEnv>, paths: { base: string; docs: string; doc: string; title: string }): void {
  const bundle = scalarBundle();
  const scriptPath = `${paths.docs}/scalar-${bundle.version}.js`;
  api.get(scriptPath, (c) =>
    c.body(Readable.toWeb(createReadStream(bundle.file)) as ReadableStream, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    }),
  );
  api.get(
    paths.docs,
    Scalar({
      url: `${paths.base}${paths.doc}`,
      cdn: `${paths.base}${scriptPath}`,
      pageTitle: paths.title,
      withDefaultFonts: false,
      hideClientButton: true,
      telemetry: false,
      agent: { disabled: true },
      authentication: { preferredSecurityScheme: 'bearerAuth' },
      defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
    }),
  );
}
