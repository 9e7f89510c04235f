import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A package loaded on its first use instead of at start: `const excel = lazyModule<typeof import('exceljs')>('exceljs')`,
 * then `excel().stream…`. For the large packages only some processes or some requests need (the
 * spreadsheet reader and writer, chart rendering, the AI bot's socket client, the
 * queue dashboard): importing them at start held ~100 MB in every process whether it used them or
 * not (docs/benchmarks.md, bench:http memory). CommonJS packages only (loaded with require, so
 * the first use stays synchronous).
 */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
