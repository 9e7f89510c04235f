import { fileURLToPath } from 'node:url';
import { intents } from '../intents/catalogue.ts';
import { EVAL_DICTIONARIES, evaluate, formatReport, loadEvalSet } from '../intents/eval/evaluate.ts';
import { createRuleRouter } from '../intents/router/rules.ts';

/**
 * `npm run eval:intents`: routes every utterance of test/intents/tuning/*.jsonl with the rule router
 * (fixed tag dictionary, no database) and prints intent and exact-slot accuracy per intent and
 * overall, and the confusion pairs. Exits 1 below the targets, so CI enforces them.
 * `--misses` lists every utterance that missed.
 */
const dir = fileURLToPath(new URL('../../test/intents/tuning/', import.meta.url));
const router = createRuleRouter(intents, EVAL_DICTIONARIES);
const report = await evaluate(router, await loadEvalSet(dir));
console.log(formatReport(report, { failures: process.argv.includes('--misses') }));
process.exitCode = report.meetsTargets ? 0 : 1;
