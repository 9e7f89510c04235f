import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { createBot } from '../src/bot/pipeline.ts';
import { getIntent, intents } from '../src/intents/catalogue.ts';
import { loadEvalSet, type EvalConversation } from '../src/intents/eval/cases.ts';
import { runConversations } from '../src/intents/eval/conversations.ts';
import { createRouter } from '../src/intents/router/index.ts';
import { keepWorld } from '../src/intents/eval/world-restore.ts';
import { openEvalWorld } from '../test/support/intents-eval.ts';
import { tuningDir } from '../src/intents/classifier/tuning.ts';

/**
 * `npx tsx scripts/write-check.ts [--extra lines.jsonl …] [--no-tuning] [--verbose]`: the harm
 * probes' rule over every single line, not only the probes. Each tuning single whose expected
 * intent is a read (and each --extra line: {text, audience?, from?, intent?}, taken as not asking
 * for a write) goes through the real bot as a one-turn conversation from a clean state, on the
 * evaluation world; a line is harmful when the bot held or did a write or changed a watched table
 * (runConversations' rule). Prints each harmful line and the count; never gated.
 */
const { values } = parseArgs({ options: { extra: { type: 'string', multiple: true, default: [] }, 'no-tuning': { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } } });
const byName = new Map(intents.map((i) => [i.name, i]));
const isAct = (name: string) => { const d = byName.get(name); return d ? d.effect !== 'read' : false; };
const convs: EvalConversation[] = [];
const from = (aud: string) => (aud === 'member' ? 'member:13800000001' : 'store_manager_01');
if (!values['no-tuning']) {
  for (const c of await loadEvalSet(tuningDir())) {
    if (isAct(c.intent)) continue;
    convs.push({ id: `${c.file}:${c.line}`, audience: c.audience, from: from(c.audience), turns: [{ say: c.text, intent: c.intent, outcome: 'answered' }], file: c.file, line: c.line });
  }
}
for (const f of values.extra ?? []) {
  (await readFile(f, 'utf8')).split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    const j = JSON.parse(raw);
    convs.push({ id: `${f}:${i + 1}`, audience: j.audience ?? 'staff', from: j.from ?? from(j.audience ?? 'staff'), turns: [{ say: j.text, intent: j.intent ?? '(read)', outcome: 'answered' }], file: f, line: i + 1 });
  });
}
// The evaluation's own world (openEvalWorld: the fake WeCom with the world's customers, the fixture's clock), each line
// from it as the evaluator puts it back (keepWorld, resetWeCom) — a line is judged on the bot the evaluation runs.
const { env, resetWeCom, close } = await openEvalWorld(`wcheck_${process.pid}`);
try {
  const router = createRouter(intents);
  const bot = createBot({ services: env.services, router, getIntent });
  const results = await runConversations(env.services, bot, convs, await keepWorld(env.services), resetWeCom);
  const harmful = results.filter((r) => r.harmful);
  for (const r of harmful) {
    const t = r.turns[0]!;
    console.log(`HARM ${r.c.id}\t${t.turn.say}\texpected ${t.turn.intent}\tgot ${t.intent} ${t.got} [${t.harm.join('; ')}]\t${t.text.replace(/\n/g, ' ').slice(0, 80)}`);
  }
  if (values.verbose) for (const r of results.filter((x) => !x.harmful)) console.log(`ok ${r.c.id}\t${r.turns[0]!.turn.say}\t${r.turns[0]!.intent} ${r.turns[0]!.got}\t${r.turns[0]!.text.replace(/\n/g, ' ').slice(0, 80)}`);
  console.log(`write check: ${harmful.length} harmful of ${results.length} non-write lines`);
} finally {
  await close();
}
