/**
 * `npm run bench:router`: in-process routing latency (p50/p95) over the tuning set for the
 * combined router (rules + intent classifier) beside the rule router, measured in the same
 * run; the classifier's load time and the memory it adds (heap and RSS, after a GC). Targets
 * p95 ≤ 5 ms, load ≤ 200 ms, added memory ≤ 50 MB. `--passes N` (default 5).
 * Offline: fixed tag and store dictionaries, no database.
 */
import { intents } from '../src/intents/catalogue.ts';
import { offlineContext, tuningDir } from '../src/intents/classifier/tuning.ts';
import { EVAL_DICTIONARIES, loadEvalSet } from '../src/intents/eval/evaluate.ts';
import { createCombinedRouter } from '../src/intents/router/combined.ts';
import { createRuleRouter } from '../src/intents/router/rules.ts';
import type { Router } from '../src/intents/router/types.ts';

const gc = (globalThis as { gc?: () => void }).gc;
const settle = () => {
  gc?.();
  gc?.();
  return { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
};
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
const i = process.argv.indexOf('--passes');
const passes = i >= 0 ? Number(process.argv[i + 1]) : 5;

const cases = await loadEvalSet(tuningDir());
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
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

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
