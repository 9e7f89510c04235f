import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { intents } from '../intents/catalogue.ts';
import { EVAL_DICTIONARIES, loadEvalSet } from '../intents/eval/evaluate.ts';
import { buildModel, catalogueCorpus, encodeModel } from '../intents/classifier/build.ts';
import { crossValidatedSamples, fitCombination, heldOutLines, nll, outOfFoldTuning } from '../intents/classifier/fit.ts';
import { HUMAN_WEIGHT, humanLines } from '../intents/classifier/human.ts';
import { MODEL_PATH } from '../intents/classifier/model.ts';
import { offlineContext, tuningDir } from '../intents/classifier/tuning.ts';
import { calibrationTable, formatCalibrationTable } from '../intents/classifier/calibration.ts';
import { combine, COMBINATION_PATH, DEFAULT_COMBINATION } from '../intents/router/combined.ts';

/**
 * `npm run train:intents`: generates the corpus from the catalogue and the templates
 * (src/intents/classifier/corpus/), adds the tuning set's human-written singles (human.ts), trains
 * the classifier (model.bin), then fits how the rules and the classifier combine on the tuning
 * set (combination.json; never the test set) — on scores the classifier gave each tuning line
 * without having trained on its file (4 folds of whole files, fit.ts `outOfFoldTuning`), and on
 * template lines read by models trained without their template.
 * Deterministic: run it after changing templates, examples or tuning lines and commit both files
 * (a test fails while the committed model's corpus hash is stale). Retrain in a commit of its own
 * after a commit that adds tuning lines; never with template or keyword changes in the same commit.
 * `--human-weight W` trains with another weight of the human lines (a measurement; the test
 * expects HUMAN_WEIGHT).
 */
const { values } = parseArgs({ options: { 'human-weight': { type: 'string' } } });
const started = performance.now();
const dir = tuningDir();
const cases = await loadEvalSet(dir);
const templates = catalogueCorpus(intents);
const lines = [...templates, ...humanLines(intents, cases, values['human-weight'] ? Number(values['human-weight']) : HUMAN_WEIGHT)];
const model = buildModel(lines);
const file = encodeModel(model);
writeFileSync(MODEL_PATH, file);
const features = (a: keyof typeof model.audiences) => Object.keys(model.audiences[a].weights).length;
console.log(
  `${templates.length} corpus lines + ${lines.length - templates.length} human tuning lines → ${relative(process.cwd(), fileURLToPath(MODEL_PATH))}: ${(file.length / 1024).toFixed(0)} KiB, features staff ${features('staff')} / member ${features('member')}, ` +
    `corpus ${model.corpusHash.slice(0, 12)}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const samples = [...(await outOfFoldTuning(intents, lines, cases, offlineContext, EVAL_DICTIONARIES)).values()].flat();
const heldOut = await crossValidatedSamples(intents, lines, offlineContext, EVAL_DICTIONARIES, undefined, heldOutLines(templates));
const combination = fitCombination([samples, heldOut]);
const digest = createHash('sha256').update(cases.map((c) => `${c.audience}\t${c.intent}\t${c.text}`).join('\n')).digest('hex').slice(0, 12);
const fittedOn = `tuning set ${relative(process.cwd(), dir) || '.'}/*.jsonl: ${cases.length} lines (${samples.length} used, each read by a model trained without its file: 4 folds), sha256 ${digest}; and ${heldOut.length} corpus lines read by models trained without their template (4 folds)`;
writeFileSync(COMBINATION_PATH, `${JSON.stringify({ fittedOn, combination }, null, 2)}\n`);
console.log(`combination fitted on the ${fittedOn}`);
console.log(`  NLL tuning (out of fold) ${nll(samples, DEFAULT_COMBINATION).toFixed(3)} → ${nll(samples, combination).toFixed(3)}, held-out corpus ${nll(heldOut, DEFAULT_COMBINATION).toFixed(3)} → ${nll(heldOut, combination).toFixed(3)} (defaults → fitted)`);
console.log(`  ${JSON.stringify(combination)}`);
// How the combination reads phrasings the classifier has not seen (templates held out): a
// generalisation estimate, and the calibration the fit achieved there.
const pairs = heldOut.map((s) => {
  const q = combine(s.candidates, combination);
  const top = q.indexOf(Math.max(...q));
  return { confidence: q[top]!, correct: s.right.includes(top) };
});
console.log(`held-out templates: top reading right ${((100 * pairs.filter((p) => p.correct).length) / pairs.length).toFixed(1)}% of ${pairs.length}`);
console.log(formatCalibrationTable(calibrationTable(pairs), 'calibration on held-out templates (reported vs observed)'));
console.log(`${((performance.now() - started) / 1000).toFixed(1)} s in all`);
