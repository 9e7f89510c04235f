import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The script (for `new Worker(script, { eval: true })`) that starts the worker module `name`
 * beside the module at `from` (its import.meta.url). Compiled (`npm run build`, node dist/…) the
 * worker loads its JavaScript directly. From the TypeScript sources, loader hooks of the main
 * thread (tsx) do not reach worker threads on Node 20: the worker registers tsx itself, then
 * loads the TypeScript entry.
 */
export function workerBoot(from: string, name: string): string {
  const compiled = from.endsWith('.js');
  const entry = new URL(`./${name}${compiled ? '.js' : '.ts'}`, from).href;
  if (compiled) return `import(${JSON.stringify(entry)});`;
  const pkgFile = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsxApi = pathToFileURL(join(dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}
