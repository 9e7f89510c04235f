/**
 * `npm run bench:router`: in-process routing latency (p50/p95) over the tuning set for the
 * combined router (rules + intent classifier) beside the rule router, measured in the same
 * run; the classifier's load time and the memory it adds (heap and RSS, after a GC). Targets
 * p95 ≤ 5 ms, load ≤ 200 ms, added memory ≤ 50 MB. `--passes N` (default 5).
 * Offline: fixed tag and store dictionaries, no database.
 *
 * CPU per route (process.cpuUsage around each call, so a loaded machine's waiting is not
 * counted): p50/p95 and the mean over all passes. `--cpu-only` skips the wall-clock and memory
 * part (for comparing two builds by turns on a busy machine). `--dump FILE` writes every tuning
 * single's RouteResult and classifier probabilities (route-digest.ts), one JSON line each, and
 * `--write-digest` stores their sha256 in test/intents/route-digest.sha256 — only after a change
 * meant to alter routing; a change meant to make routing cheaper must leave it as it is.
 */
import { intents } from '../src/intents/catalogue.ts';
import { offlineContext, tuningDir } from '../src/intents/classifier/tuning.ts';
import { EVAL_DICTIONARIES, loadEvalSet } from '../src/intents/eval/evaluate.ts';
import { createCombinedRouter } from '../src/intents/router/combined.ts';
import { createRuleRouter } from '../src/intents/router/rules.ts';
import type { Router } from '../src/intents/router/types.ts';

const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const gc = (globalThis as { gc?: () => void }).gc;
const settle = () => {
  gc?.();
  gc?.();
  return { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
};
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
const i = process.argv.indexOf('--passes');
const passes = i >= 0 ? Number(process.argv[i + 1]) : 5;
const arg = (name: string) => {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : undefined;
};

if (arg('--dump') || process.argv.includes('--write-digest')) {
  const { routeDigest, ROUTE_DIGEST_PATH } = await import('../src/intents/eval/route-digest.ts');
  const { writeFileSync } = await import('node:fs');
  const d = await routeDigest();
  if (arg('--dump')) writeFileSync(arg('--dump')!, d.lines.join('\n') + '\n');
  if (process.argv.includes('--write-digest')) writeFileSync(ROUTE_DIGEST_PATH, d.sha256 + '\n');
  console.log(`${d.lines.length} tuning singles, route digest ${d.sha256}`);
  process.exit(0);
}

const cases = await loadEvalSet(tuningDir());

/** CPU µs (user + system) of each route over `passes` passes after a warm-up pass. */
async function cpuPerRoute(router: Router): Promise<number[]> {
  for (const c of cases) await router.route(c.text, offlineContext(c.audience));
  const us: number[] = [];
  for (let p = 0; p < passes; p++) {
    for (const c of cases) {
      const t = process.cpuUsage();
      await router.route(c.text, offlineContext(c.audience));
      const d = process.cpuUsage(t);
      us.push(d.user + d.system);
    }
  }
  return us.sort((a, b) => a - b);
}
const cpuLine = (name: string, us: number[]) =>
  `${name.padEnd(28)}CPU per route p50 ${q(us, 0.5)} µs, p95 ${q(us, 0.95)} µs, mean ${(us.reduce((a, b) => a + b, 0) / us.length).toFixed(0)} µs (${us.length} routes)`;

if (process.argv.includes('--cpu-only')) {
  const combined = createCombinedRouter(intents, EVAL_DICTIONARIES);
  console.log(cpuLine('combined', await cpuPerRoute(combined)));
  process.exit(0);
}
const rules = createRuleRouter(intents, EVAL_DICTIONARIES);
// Warm the rule router (and the shared extractors) before the memory baseline, so the delta is the classifier's.
for (const c of cases) await rules.route(c.text, offlineContext(c.audience));
const before = settle();
const t0 = performance.now();
const combined = createCombinedRouter(intents, EVAL_DICTIONARIES);
const loadMs = performance.now() - t0;
const after = settle();

async function latencies(router: Router): Promise<number[]> {
  for (const c of cases) await router.route(c.text, offlineContext(c.audience)); // warm-up pass
  const ms: number[] = [];
  for (let p = 0; p < passes; p++) {
    for (const c of cases) {
      const t = performance.now();
      await router.route(c.text, offlineContext(c.audience));
      ms.push(performance.now() - t);
    }
  }
  return ms.sort((a, b) => a - b);
}

const r = await latencies(rules);
const c = await latencies(combined);
const pad = (s: string) => s.padEnd(28);
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
console.log(`${cases.length} tuning utterances × ${passes} passes (${gc ? 'GC between memory readings' : 'run with --expose-gc for exact memory'})`);
console.log(`${pad('')}${'rules'.padStart(10)}${'combined'.padStart(10)}  ratio   target`);
console.log(`${pad('routing p50')}${q(r, 0.5).toFixed(3).padStart(8)}ms${q(c, 0.5).toFixed(3).padStart(8)}ms  ${ratio(q(c, 0.5), q(r, 0.5)).padEnd(6)}`);
console.log(`${pad('routing p95')}${q(r, 0.95).toFixed(3).padStart(8)}ms${q(c, 0.95).toFixed(3).padStart(8)}ms  ${ratio(q(c, 0.95), q(r, 0.95)).padEnd(6)}  ≤ 5 ms ${q(c, 0.95) <= 5 ? 'met' : 'NOT MET'}`);
console.log(`${pad('routing max')}${q(r, 1).toFixed(3).padStart(8)}ms${q(c, 1).toFixed(3).padStart(8)}ms  ${ratio(q(c, 1), q(r, 1))}`);
console.log(`${pad('model load (read + compile)')}${'—'.padStart(10)}${loadMs.toFixed(0).padStart(8)}ms          ≤ 200 ms ${loadMs <= 200 ? 'met' : 'NOT MET'}`);
const heap = after.heap - before.heap;
const rss = after.rss - before.rss;
console.log(`${pad('added memory: heap')}${'—'.padStart(10)}${mb(heap).padStart(10)}          ≤ 50 MB ${Math.max(heap, rss) <= 50 * 2 ** 20 ? 'met' : 'NOT MET'}`);
console.log(`${pad('added memory: RSS')}${'—'.padStart(10)}${mb(rss).padStart(10)}  (process RSS ${mb(after.rss)}, rules-only baseline ${mb(before.rss)}: ratio ${ratio(after.rss, before.rss)})`);
console.log(cpuLine('rules', await cpuPerRoute(rules)));
console.log(cpuLine('combined', await cpuPerRoute(combined)));
