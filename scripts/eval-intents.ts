import { parseArgs } from 'node:util';
import { formatConversations, formatReport } from '../src/intents/eval/report.ts';
import { evalSetNames, evaluateSet, meetsTargets, resolveEvalSet, setExists, type EvalSet } from '../test/support/intents-eval.ts';

/**
 * `npm run eval:intents [-- --set <name>] [--misses]`: for the tuning set and each blind set
 * separately (every other directory under test/intents/: test/, test2/ …), the single-message
 * report (per intent, style and language, confusion pairs, calibration table), the dialogue
 * report and the harm-probe report, measured on the bot as it runs (docs/intents.md,
 * Evaluation). Lives outside src/ because it builds its world with test/support. Exits 1 only
 * when the TUNING set misses its targets (intent ≥ 95 %, slots ≥ 90 %, no harmful probe); blind
 * sets' figures are printed, never gated. An unknown set name exits 2 with the usage line.
 */
const { values } = parseArgs({ options: { set: { type: 'string' }, misses: { type: 'boolean', default: false } } });
let sets: EvalSet[];
try {
  sets = await Promise.all((values.set !== undefined ? [values.set] : await evalSetNames()).map((name) => resolveEvalSet(name)));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
let failed = false;
for (const set of sets) {
  const where = `test/intents/${set.name}`;
  const title = set.blind ? `${set.name.toUpperCase()} set (${where}: blind; reported, never gated, never tuned to)` : `TUNING set (${where}: tuned to; gated)`;
  console.log(`\n=== ${title} ===`);
  if (!(await setExists(set))) {
    console.log('(not present)');
    continue;
  }
  const r = await evaluateSet(set.name);
  const failures = values.misses;
  console.log(`\n--- single messages ---\n${formatReport(r.singles, { failures, gated: !set.blind })}`);
  console.log(`\n--- dialogues ---\n${formatConversations('dialogues', r.dialogues, { failures })}`);
  console.log(`\n--- harm probes ---\n${formatConversations('harm probes', r.harm, { failures })}`);
  if (!set.blind && !meetsTargets(r)) {
    failed = true;
    console.log('\nTUNING set: targets NOT MET');
  }
}
process.exitCode = failed ? 1 : 0;
