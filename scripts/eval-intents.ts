import { parseArgs } from 'node:util';
import { formatConversations, formatReport } from '../src/intents/eval/report.ts';
import { evaluateSet, meetsTargets, setExists, type EvalSetName } from '../test/support/intents-eval.ts';

/**
 * `npm run eval:intents [-- --set tuning|test] [--misses]`: for the tuning set and the blind
 * test set separately, the single-message report (per intent, style and language, confusion
 * pairs, calibration table), the dialogue report and the harm-probe report, measured on the
 * bot as it runs (docs/intents.md, Evaluation). Lives outside src/ because it builds its world
 * with test/support. Exits 1 only when the TUNING set misses its targets (intent ≥ 95 %,
 * slots ≥ 90 %, no harmful probe); the test set's figures are printed, never gated.
 */
const { values } = parseArgs({ options: { set: { type: 'string' }, misses: { type: 'boolean', default: false } } });
if (values.set !== undefined && values.set !== 'tuning' && values.set !== 'test') {
  console.error('usage: npm run eval:intents [-- --set tuning|test] [--misses]');
  process.exit(2);
}
const sets: EvalSetName[] = values.set ? [values.set as EvalSetName] : ['tuning', 'test'];
let failed = false;
for (const name of sets) {
  const title = name === 'tuning' ? 'TUNING set (test/intents/tuning: tuned to; gated)' : 'TEST set (test/intents/test: blind; reported, never gated, never tuned to)';
  console.log(`\n=== ${title} ===`);
  if (!(await setExists(name))) {
    console.log('(not present)');
    continue;
  }
  const r = await evaluateSet(name);
  const failures = values.misses;
  console.log(`\n--- single messages ---\n${formatReport(r.singles, { failures, gated: name === 'tuning' })}`);
  console.log(`\n--- dialogues ---\n${formatConversations('dialogues', r.dialogues, { failures })}`);
  console.log(`\n--- harm probes ---\n${formatConversations('harm probes', r.harm, { failures })}`);
  if (name === 'tuning' && !meetsTargets(r)) {
    failed = true;
    console.log('\nTUNING set: targets NOT MET');
  }
}
process.exitCode = failed ? 1 : 0;
