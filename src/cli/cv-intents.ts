import { parseArgs } from 'node:util';
import { intents } from '../intents/catalogue.ts';
import { EVAL_DICTIONARIES, evaluate, loadEvalSet } from '../intents/eval/evaluate.ts';
import { catalogueCorpus } from '../intents/classifier/build.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { crossValidatedSamples, fitCombination, heldOutLines, outOfFoldTuning, type FitSample, type HeldLine } from '../intents/classifier/fit.ts';
import { HUMAN_WEIGHT, humanLines } from '../intents/classifier/human.ts';
import { NONE, type Classifier } from '../intents/classifier/model.ts';
import { calibrationTable, formatCalibrationTable } from '../intents/classifier/calibration.ts';
import { offlineContext, tuningDir } from '../intents/classifier/tuning.ts';
import { combine, createCombinedRouter, type Thresholds } from '../intents/router/combined.ts';

/**
 * `npx tsx src/cli/cv-intents.ts [--misses FILE] [--no-cv] [--human-weight W]`: how well the router generalises,
 * measured inside the tuning data, without a database (the routers get the evaluation's fixed
 * tag and store dictionaries, as `npm run train:intents` does).
 *
 * 1. The tuning set's single messages routed offline by the shipped router (rules + model +
 *    fitted combination), per file and per style: the file-by-file view shows which rounds'
 *    lines the router was fixed against (the older rounds) and which it meets fresh (the newest).
 * 2. Leave-one-file-out: each tuning file is read by a model that did not learn it (every
 *    template and the human lines of the other folds of files: 4 folds of whole files, as
 *    train:intents fits the combination) and by a combination refitted without that file — the
 *    figure of a file neither the classifier nor the combination has seen.
 * 3. Held-out template families: for each of 4 folds a model is trained without a quarter of the
 *    templates (whole templates, every style of them; with every human tuning line, as shipped),
 *    and the rules + that model read the
 *    held-out lines — per style of the held-out lines, since unseen phrasings typed tersely or
 *    by voice are what blind sets are made of.
 *    Also per view: `terse-short` (a Chinese line of at most 6 characters once spaces go, or an
 *    English one of at most 3 words: the fragments staff type), `en` (English or mixed lines),
 *    and the classifier's own top label beside rules + model.
 *    `--save-fixed FILE` writes the held-out lines; `--fixed FILE` reads those lines instead of
 *    this corpus's own (models still trained on this corpus without each fold's templates), so a
 *    change of templates or styles is compared on the same test lines (append templates at the end
 *    of a list: a template's fold follows its index). `--held-misses VIEW` lists that view's misses.
 * Figures are offline: the eval's own run (`npm run eval:intents`) goes through the bot with
 * its database and may differ on lines that depend on the world (names in focus, recall ids).
 */
const { values } = parseArgs({
  options: { misses: { type: 'string' }, 'no-cv': { type: 'boolean', default: false }, 'human-weight': { type: 'string' }, 'save-fixed': { type: 'string' }, fixed: { type: 'string' }, 'held-misses': { type: 'string' } },
});
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
  const top = (s: FitSample, c: ReturnType<typeof fitCombination>) => {
    const q = combine(s.candidates, c);
    return s.right.includes(q.indexOf(Math.max(...q)));
  };
  // 2. Leave one tuning file out of the combination's fit.
  // The model learns the tuning set's human lines too: each file is read by a model trained on
  // every template and the other folds' files, never on the file itself (4 folds of whole files).
  const files = [...new Set(cases.map((c) => c.file))].sort();
  const templates = catalogueCorpus(intents);
  const lines = [...templates, ...humanLines(intents, cases, values['human-weight'] ? Number(values['human-weight']) : HUMAN_WEIGHT)];
  const samplesOf = await outOfFoldTuning(intents, lines, cases, offlineContext, EVAL_DICTIONARIES);
  const held: HeldLine[] = values.fixed ? readFileSync(values.fixed, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HeldLine) : heldOutLines(templates);
  if (values['save-fixed']) writeFileSync(values['save-fixed'], held.map((h) => JSON.stringify(h)).join('\n') + '\n');
  // Each fold's model is kept: the whole offline router reads the fold's lines after every fold's
  // samples are in, so it can use a combination fitted without that fold (fold-honest).
  const foldModels: { classifier: Classifier; mine: readonly HeldLine[] }[] = [];
  const heldOut = await crossValidatedSamples(intents, lines, offlineContext, EVAL_DICTIONARIES, undefined, held, async (classifier, mine) => {
    foldModels.push({ classifier, mine });
  });
  let inFit = 0;
  let outFit = 0;
  let n = 0;
  const all = fitCombination([[...samplesOf.values()].flat(), heldOut]);
  const foldOfKey = new Map(held.map((h) => [`${h.audience}\t${h.text}`, h.fold]));
  const tuningSamples = [...samplesOf.values()].flat();
  // The combination fitted on the tuning set and the held-out lines of the other folds only: the
  // fold's own figures are then read by weights that never saw its families.
  const honest = foldModels.map((_, fold) => fitCombination([tuningSamples, heldOut.filter((s) => foldOfKey.get(`${s.audience}\t${s.text}`) !== fold)]));
  // The whole offline router (its steps after the combination included: chat dropped when an entity
  // is named, questions whether done and writes not asked in words read) with each fold's model:
  // as shipped, and with the fold-honest combination under each variant of the ask thresholds.
  const variants: { name: string; thresholds?: Partial<Thresholds>; honest: boolean }[] = [
    { name: 'router', honest: false },
    { name: 'r.honest', honest: true },
    ...[0.5, 0.3, 0.2, 0.1].map((r) => ({ name: `read<${r}`, thresholds: { clarifyReadBelow: r }, honest: true })),
    { name: 'all<0.3', thresholds: { clarifyReadBelow: 0.3, clarifyBelow: 0.3 }, honest: true },
  ];
  const routed = new Map<string, { ok: boolean; intent: string; harm: boolean }[]>();
  const isWrite = (name: string) => ['write', 'send', 'export'].includes(intents.find((i) => i.name === name)?.effect ?? 'read');
  for (const [fold, { classifier, mine }] of foldModels.entries()) {
    const routers = variants.map((v) => createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier, ...(v.honest ? { combination: honest[fold]! } : {}), ...(v.thresholds ? { thresholds: v.thresholds } : {}) }));
    for (const h of mine) {
      const fallback = intents.find((i) => i.audience === h.audience && i.rule.fallback)?.name;
      const out = [];
      for (const router of routers) {
        const r = await router.route(h.text, offlineContext(h.audience));
        // A write chosen for a line that asks for no write (a read, talk or another write's line is not counted: the gate asks first).
        out.push({ ok: r.intent === h.label || (h.label === NONE && r.intent === fallback), intent: r.intent, harm: isWrite(r.intent) && !isWrite(h.label) });
      }
      routed.set(`${h.audience}\t${h.text}`, out);
    }
  }
  for (const file of files) {
    const rest = files.filter((f) => f !== file).flatMap((f) => samplesOf.get(f)!);
    const without = fitCombination([rest, heldOut]);
    const mine = samplesOf.get(file)!;
    inFit += mine.filter((s) => top(s, all)).length;
    outFit += mine.filter((s) => top(s, without)).length;
    n += mine.length;
  }
  console.log(`leave-one-file-out (top reading, rules + a model trained without the file's fold of files; combination): fitted on all ${pct(inFit, n)}, file left out of the fit ${pct(outFit, n)} of ${n}`);
  // 3. Held-out template families, per style and view of the held-out line.
  const heldOf = new Map(held.map((h) => [`${h.audience}\t${h.text}`, h]));
  const viewsOf = (h: HeldLine | undefined): string[] => {
    if (!h) return ['?'];
    const views = [`style:${h.style ?? 'plain'}`];
    const han = /\p{Script=Han}/u.test(h.text);
    if (h.style === 'english' || !han) views.push('en');
    if (han ? [...h.text.replace(/\s+/g, '')].length <= 6 : h.text.trim().split(/\s+/).length <= 3) views.push('terse-short');
    return views;
  };
  const modelTop = (s: FitSample) => {
    const best = s.candidates.reduce((b, c, i) => (c.logp > s.candidates[b]!.logp ? i : b), 0);
    return s.right.includes(best);
  };
  const perView = new Map<string, { n: number; ok: number; honest: number; model: number; routers: number[]; harm: number[] }>();
  const calibrationPairs: { confidence: number; correct: boolean }[] = [];
  const heldMisses: string[] = [];
  for (const s of heldOut) {
    const h = heldOf.get(`${s.audience}\t${s.text}`);
    const ok = top(s, all);
    const fold = foldOfKey.get(`${s.audience}\t${s.text}`) ?? 0;
    const qh = combine(s.candidates, honest[fold]!);
    const topH = qh.indexOf(Math.max(...qh));
    calibrationPairs.push({ confidence: qh[topH]!, correct: s.right.includes(topH) });
    const views = ['all', `fold:${fold}`, ...viewsOf(h)];
    const rs = routed.get(`${s.audience}\t${s.text}`) ?? [];
    for (const v of views) {
      const g = perView.get(v) ?? { n: 0, ok: 0, honest: 0, model: 0, routers: variants.map(() => 0), harm: variants.map(() => 0) };
      g.n++;
      rs.forEach((r, i) => {
        if (r.ok) g.routers[i]!++;
        if (r.harm) g.harm[i]!++;
      });
      if (s.right.includes(topH)) g.honest++;
      if (ok) g.ok++;
      if (modelTop(s)) g.model++;
      perView.set(v, g);
    }
    const want = values['held-misses'];
    const r = rs[0];
    if (r && !r.ok && want && (views.includes(want) || views.includes(`style:${want}`))) heldMisses.push(`  HELD-MISS ${h?.source} ${s.text} → ${r.intent} (want ${h?.label})`);
  }
  console.log(`held-out template families (4 folds${values.fixed ? `, fixed lines of ${values.fixed}` : ''}; rules + a model trained without them, top reading / that model alone / the whole offline router with it):`);
  for (const [v, g] of [...perView].sort()) console.log(`  ${v.padEnd(18)} ${String(g.n).padStart(5)}  ${pct(g.ok, g.n).padStart(6)}  ${pct(g.model, g.n).padStart(6)}  ${pct(g.routers[0]!, g.n).padStart(6)}`);
  // The same lines read with the combination fitted without the line's fold (top reading), and by
  // the whole router with it under each variant of the ask thresholds; `writes` counts lines that
  // ask for no write routed to one (the write gate still asks before anything is written).
  console.log(`fold-honest: top reading, then the router per variant (${variants.map((v) => v.name).join(' / ')}); writes chosen for a line asking none per variant`);
  for (const [v, g] of [...perView].sort()) console.log(`  ${v.padEnd(18)} ${String(g.n).padStart(5)}  ${pct(g.honest, g.n).padStart(6)}  ${g.routers.map((r) => pct(r, g.n).padStart(6)).join(' ')}  writes ${g.harm.join('/')}`);
  console.log(formatCalibrationTable(calibrationTable(calibrationPairs), 'fold-honest calibration of the top reading on held-out families (reported vs observed)'));
  for (const [fold, c] of honest.entries()) console.log(`  combination without fold ${fold}: ${JSON.stringify(c)}`);
  for (const m of heldMisses) console.log(m);
}
