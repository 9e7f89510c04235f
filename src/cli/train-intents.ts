import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intents } from '../intents/catalogue.ts';
import { EVAL_DICTIONARIES, loadEvalSet } from '../intents/eval/evaluate.ts';
import { buildModel, catalogueCorpus, serializeModel } from '../intents/classifier/build.ts';
import { crossValidatedSamples, fitCombination, fitSamples, nll } from '../intents/classifier/fit.ts';
import { classifierFrom, MODEL_PATH } from '../intents/classifier/model.ts';
import { offlineContext, tuningDir } from '../intents/classifier/tuning.ts';
import { calibrationTable, formatCalibrationTable } from '../intents/classifier/calibration.ts';
import { combine, COMBINATION_PATH, DEFAULT_COMBINATION } from '../intents/router/combined.ts';

/**
 * `npm run train:intents`: generates the corpus from the catalogue and the templates
 * (src/intents/classifier/corpus/), trains the classifier (model.json), then fits how the rules
 * and the classifier combine on the tuning set (combination.json; never the test set).
 * Deterministic: run it after changing templates or examples and commit both files (a test fails
 * while the committed model's corpus hash is stale). Never commit them with new eval lines.
 */
const started = performance.now();
const lines = catalogueCorpus(intents);
const model = buildModel(lines);
const text = serializeModel(model);
writeFileSync(MODEL_PATH, text);
const features = (a: keyof typeof model.audiences) => Object.keys(model.audiences[a].weights).length;
console.log(
  `${lines.length} corpus lines → ${relative(process.cwd(), fileURLToPath(MODEL_PATH))}: ${(text.length / 1024).toFixed(0)} KiB, features staff ${features('staff')} / member ${features('member')}, ` +
    `corpus ${model.corpusHash.slice(0, 12)}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const dir = tuningDir();
const cases = await loadEvalSet(dir);
const samples = await fitSamples(intents, classifierFrom(model), cases, offlineContext, EVAL_DICTIONARIES);
const heldOut = await crossValidatedSamples(intents, lines, offlineContext, EVAL_DICTIONARIES);
const combination = fitCombination([samples, heldOut]);
const digest = createHash('sha256').update(cases.map((c) => `${c.audience}\t${c.intent}\t${c.text}`).join('\n')).digest('hex').slice(0, 12);
const fittedOn = `tuning set ${relative(process.cwd(), dir) || '.'}/*.jsonl: ${cases.length} lines (${samples.length} used), sha256 ${digest}; and ${heldOut.length} corpus lines read by models trained without their template (4 folds)`;
writeFileSync(COMBINATION_PATH, `${JSON.stringify({ fittedOn, combination }, null, 2)}\n`);
console.log(`combination fitted on the ${fittedOn}`);
console.log(`  NLL tuning ${nll(samples, DEFAULT_COMBINATION).toFixed(3)} → ${nll(samples, combination).toFixed(3)}, held-out corpus ${nll(heldOut, DEFAULT_COMBINATION).toFixed(3)} → ${nll(heldOut, combination).toFixed(3)} (defaults → fitted)`);
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
