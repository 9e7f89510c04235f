/**
 * Bundles the Cloudflare Workers edge (src/edge/worker.ts) into dist-edge/worker.js with esbuild,
 * the file wrangler.toml's `main` names (docs/deployment.md, "Edge (Cloudflare Workers)").
 *
 * node:* stays external: the Worker runs with the `nodejs_compat` flag, whose node:crypto and
 * Buffer the channel crypto (src/channels/shared/crypto.ts) uses as it does at the origin.
 * Our own modules are marked free of side effects so that what the Worker does not call (the
 * kernel's SQL helpers and the like, reached through index.ts re-exports) is left out.
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src') + '/';
// `--entry <file> --out <file>` (relative to the repository): the tests bundle their own entry the same way.
const arg = (name, def) => (process.argv.includes(name) ? resolve(root, process.argv[process.argv.indexOf(name) + 1]) : def);
const entry = arg('--entry', join(root, 'src/edge/worker.ts'));
const outfile = arg('--out', join(root, 'dist-edge/worker.js'));

const ownModulesArePure = {
  name: 'own-modules-are-pure',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'resolving' });
      // The entry's own directory counts as ours too (a test entry re-exporting the Worker).
      if (r.errors.length > 0 || !(r.path.startsWith(src) || r.path.startsWith(dirname(entry) + '/'))) return undefined;
      return { path: r.path, sideEffects: false };
    });
  },
};

// Origin-only packages: reachable through index.ts re-exports (the kernel's rate limiter imports
// Redis, say) but never called at the edge. Left unresolved here, tree-shaking drops them; a
// bundle that still imports one fails below rather than at the Worker's first request.
const ORIGIN_ONLY = ['ioredis', 'mysql2', 'mysql2/*', 'bullmq', '@prisma/*', 'prom-client', '@opentelemetry/*'];

const result = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['workerd', 'worker', 'browser', 'import', 'module'],
  mainFields: ['module', 'main'],
  external: ['node:*', 'cloudflare:*', ...ORIGIN_ONLY],
  sourcemap: true,
  minify: false,
  metafile: true,
  logLevel: 'warning',
  plugins: [ownModulesArePure],
});

const out = Object.entries(result.metafile.outputs).find(([f]) => f.endsWith('.js'));
const originOnly = out[1].imports.filter((i) => !/^(node|cloudflare):/.test(i.path));
if (originOnly.length) {
  console.error(`the edge bundle imports origin-only packages: ${originOnly.map((i) => i.path).join(', ')}`);
  process.exit(1);
}
const inputs = Object.keys(out[1].inputs);
console.log(`${out[0]}: ${(out[1].bytes / 1024).toFixed(0)} KiB from ${inputs.length} modules`);
if (process.argv.includes('--list')) for (const i of inputs.sort()) console.log(`  ${i}`);
