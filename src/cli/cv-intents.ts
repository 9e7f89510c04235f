import { parseArgs } from 'node:util';
import { intents } from '../intents/catalogue.ts';
import { EVAL_DICTIONARIES, evaluate, loadEvalSet, type EvalCase } from '../intents/eval/evaluate.ts';
import { catalogueCorpus } from '../intents/classifier/build.ts';
import { crossValidatedSamples, fitCombination, fitSamples, type FitSample } from '../intents/classifier/fit.ts';
import { loadClassifier } from '../intents/classifier/model.ts';
import { offlineContext, tuningDir } from '../intents/classifier/tuning.ts';
import { combine, createCombinedRouter } from '../intents/router/combined.ts';

/**
 * `npx tsx src/cli/cv-intents.ts [--misses FILE] [--no-cv]`: how well the router generalises,
 * measured inside the tuning data, without a database (the routers get the evaluation's fixed
 * tag and store dictionaries, as `npm run train:intents` does).
 *
 * 1. The tuning set's single messages routed offline by the shipped router (rules + model +
 *    fitted combination), per file and per style: the file-by-file view shows which rounds'
 *    lines the router was fixed against (the older rounds) and which it meets fresh (the newest).
 * 2. Leave-one-file-out: the combination is refitted without each tuning file and that file is
 *    read with it — how much of the tuning figure is the combination fitted to those very lines.
 * 3. Held-out template families: for each of 4 folds a model is trained without a quarter of the
 *    templates (whole templates, every style of them), and the rules + that model read the
 *    held-out lines — per style of the held-out lines, since unseen phrasings typed tersely or
 *    by voice are what blind sets are made of.
 * Figures are offline: the eval's own run (`npm run eval:intents`) goes through the bot with
 * its database and may differ on lines that depend on the world (names in focus, recall ids).
 */
const { values } = parseArgs({ options: { misses: { type: 'string' }, 'no-cv': { type: 'boolean', default: false } } });
const pct = (a: number, n: number) => (n ? `${((100 * a) / n).toFixed(1)}%` : '—');

const dir = tuningDir();
const cases = await loadEvalSet(dir);
const router = createCombinedRouter(intents, EVAL_DICTIONARIES);
const report = await evaluate(router, cases);
console.log(`tuning set offline: ${cases.length} singles, intent ${pct(report.intentAccuracy * cases.length, cases.length)}, slots ${pct(report.slotAccuracy * cases.length, cases.length)}`);
const byFile = new Map<string, { n: number; i: number; s: number }>();
const failed = new Map(report.failures.map((f) => [`${f.c.file}:${f.c.line}`, f]));
for (const c of cases) {
  const f = byFile.get(c.file) ?? { n: 0, i: 0, s: 0 };
  const miss = failed.get(`${c.file}:${c.line}`);
  f.n++;
  if (!miss || miss.intent === c.intent) f.i++;
  if (!miss) f.s++;
  byFile.set(c.file, f);
}
console.log('per file (intent / slots):');
for (const [file, f] of [...byFile].sort()) console.log(`  ${file.padEnd(28)} ${String(f.n).padStart(4)}  ${pct(f.i, f.n).padStart(6)}  ${pct(f.s, f.n).padStart(6)}`);
console.log('per style (intent / slots):');
for (const s of report.perStyle) console.log(`  ${s.key.padEnd(14)} ${String(s.n).padStart(4)}  ${pct(s.intentOk, s.n).padStart(6)}  ${pct(s.slotsOk, s.n).padStart(6)}`);
if (values.misses) {
  for (const f of report.failures.filter((x) => values.misses === 'all' || x.c.file.includes(values.misses!))) {
    console.log(`  MISS ${f.c.file}:${f.c.line} ${f.c.text} → ${f.intent} ${JSON.stringify(f.slots)} (want ${f.c.intent} ${JSON.stringify(f.c.slots)}) ${f.confidence.toFixed(2)}`);
  }
}

if (!values['no-cv']) {
  const classifier = loadClassifier();
  const top = (s: FitSample, c: ReturnType<typeof fitCombination>) => {
    const q = combine(s.candidates, c);
    return s.right.includes(q.indexOf(Math.max(...q)));
  };
  // 2. Leave one tuning file out of the combination's fit.
  const files = [...new Set(cases.map((c) => c.file))].sort();
  const samplesOf = new Map<string, FitSample[]>();
  for (const file of files) samplesOf.set(file, await fitSamples(intents, classifier, cases.filter((c: EvalCase) => c.file === file), offlineContext, EVAL_DICTIONARIES));
  const lines = catalogueCorpus(intents);
  const heldOut = await crossValidatedSamples(intents, lines, offlineContext, EVAL_DICTIONARIES);
  let inFit = 0;
  let outFit = 0;
  let n = 0;
  const all = fitCombination([[...samplesOf.values()].flat(), heldOut]);
  for (const file of files) {
    const rest = files.filter((f) => f !== file).flatMap((f) => samplesOf.get(f)!);
    const without = fitCombination([rest, heldOut]);
    const mine = samplesOf.get(file)!;
    inFit += mine.filter((s) => top(s, all)).length;
    outFit += mine.filter((s) => top(s, without)).length;
    n += mine.length;
  }
  console.log(`leave-one-file-out combination (top reading, rules + shipped model): fitted on all ${pct(inFit, n)}, file left out of the fit ${pct(outFit, n)} of ${n}`);
  // 3. Held-out template families, per style of the held-out line.
  const styleOf = new Map(lines.map((l) => [`${l.audience}\t${l.text}`, l.style ?? 'plain']));
  const held = heldOut.map((s, i) => ({ s, i }));
  const fitted = all;
  const perStyle = new Map<string, { n: number; ok: number }>();
  for (const { s } of held) {
    const st = styleOf.get(`${s.audience}\t${s.text}`) ?? '?';
    const g = perStyle.get(st) ?? { n: 0, ok: 0 };
    g.n++;
    if (top(s, fitted)) g.ok++;
    perStyle.set(st, g);
  }
  const ok = [...perStyle.values()].reduce((a, g) => a + g.ok, 0);
  console.log(`held-out template families (4 folds, rules + a model trained without them): top reading right ${pct(ok, heldOut.length)} of ${heldOut.length}`);
  for (const [st, g] of [...perStyle].sort()) console.log(`  ${st.padEnd(12)} ${String(g.n).padStart(5)}  ${pct(g.ok, g.n).padStart(6)}`);
}
