import type { ConversationResult } from './conversations.ts';
import { summarize } from './conversations.ts';
import { TARGETS, type EvalReport, type GroupStats } from './evaluate.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ratio = (a: number, n: number) => (n ? `${pct(a / n)} (${a}/${n})` : 'n/a (0)');

function table(title: string, rows: readonly GroupStats[], overall?: { n: number; intent: number; slots: number }): string[] {
  const w = Math.max(10, title.length, ...rows.map((s) => s.key.length));
  const lines = [`${title.padEnd(w)}     n  intent   slots`];
  for (const s of rows) lines.push(`${s.key.padEnd(w)} ${String(s.n).padStart(5)}  ${pct(s.intentOk / s.n).padStart(6)}  ${pct(s.slotsOk / s.n).padStart(6)}`);
  if (overall) lines.push(`${'overall'.padEnd(w)} ${String(overall.n).padStart(5)}  ${pct(overall.intent).padStart(6)}  ${pct(overall.slots).padStart(6)}`);
  return lines;
}

/** The single-message report: per intent, style and language, targets, confusions, calibration; misses on request. */
export function formatReport(r: EvalReport, opts: { failures?: boolean; gated?: boolean } = {}): string {
  const lines = [...table('intent', r.perIntent, { n: r.total, intent: r.intentAccuracy, slots: r.slotAccuracy })];
  lines.push('', ...table('style', r.perStyle), '', ...table('language', r.perLang));
  const verdict = r.meetsTargets ? 'met' : 'NOT MET';
  lines.push('', `targets: intent ≥ ${pct(TARGETS.intent)}, slots ≥ ${pct(TARGETS.slots)} → ${verdict}${opts.gated === false ? ' (reported only: this set is not gated)' : ''}`);
  if (r.calibration.length) {
    lines.push('', 'calibration (reported confidence → observed intent accuracy):', '  confidence      n   mean conf  accuracy');
    for (const b of r.calibration) lines.push(`  ${`${b.from.toFixed(2)}–${b.to.toFixed(2)}`.padEnd(12)} ${String(b.n).padStart(5)}   ${b.confidence.toFixed(3).padStart(9)}  ${pct(b.accuracy).padStart(8)}`);
  }
  if (r.confusions.length) {
    lines.push('', 'confusion pairs (expected → got):');
    for (const c of r.confusions) lines.push(`  ${c.expected} → ${c.got}  ×${c.count}`);
  }
  if (opts.failures && r.failures.length) {
    lines.push('', 'misses:');
    for (const f of r.failures) lines.push(`  ${f.c.file}:${f.c.line} ${JSON.stringify(f.c.text)} expected ${f.c.intent} ${JSON.stringify(f.c.slots)} got ${f.intent} ${JSON.stringify(f.slots)} (${f.confidence.toFixed(2)})`);
  }
  return lines.join('\n');
}

const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s).replace(/\n/g, ' ⏎ ');

/** Dialogues or harm probes: turn accuracy, conversations fully right, harmful ones (always listed), member safety; misses on request. */
export function formatConversations(kind: 'dialogues' | 'harm probes', results: readonly ConversationResult[], opts: { failures?: boolean } = {}): string {
  const s = summarize(results);
  const lines = [
    `${kind}: ${s.conversations}, turns: ${s.turns}`,
    `  turns fully right (intent, listed slots, outcome): ${ratio(s.turnsFullyRight, s.turns)}`,
    `  turns with the right intent: ${ratio(s.turnsIntentOk, s.turns)}; right outcome (held/done/other): ${ratio(s.turnsOutcomeOk, s.turns)}`,
    `  ${kind} fully right: ${ratio(s.fullyRight, s.conversations)}`,
    `  harmful (held, did or wrote where it should not): ${s.harmful.length}`,
    `  member safety (no unasked action, nobody else's data): ${ratio(s.membersSafe, s.members)}`,
  ];
  for (const r of s.harmful) {
    const t = r.turns.find((x) => x.harm.length)!;
    lines.push(`    HARMFUL ${r.c.id} (${r.c.file}:${r.c.line}) turn ${r.turns.indexOf(t) + 1} ${JSON.stringify(t.turn.say)} → ${t.intent}: ${t.harm.join('; ')}`);
  }
  for (const r of results.filter((x) => x.memberSafe === false && !x.harmful)) {
    const t = r.turns.find((x) => x.leaks.length)!;
    lines.push(`    LEAK ${r.c.id} (${r.c.file}:${r.c.line}) ${JSON.stringify(t.turn.say)} showed ${t.leaks.join(', ')}`);
  }
  if (opts.failures) {
    const missed = results.filter((r) => !r.fullyRight);
    if (missed.length) lines.push('', `${kind} misses:`);
    for (const r of missed) {
      lines.push(`  ${r.c.id} (${r.c.file}:${r.c.line}, ${r.c.from})`);
      r.turns.forEach((t, i) => {
        const mark = t.fullyRight ? '  ok' : 'MISS';
        const why = [!t.intentOk && `intent ${t.intent}`, t.intentOk && !t.slotsOk && `slots ${JSON.stringify(t.slots)}`, !t.outcomeOk && `outcome ${t.got} (expected ${t.turn.outcome})`].filter(Boolean).join(', ');
        lines.push(`    ${mark} ${i + 1}. ${JSON.stringify(t.turn.say)} → expected ${t.turn.intent}${t.turn.slots ? ` ${JSON.stringify(t.turn.slots)}` : ''} ${t.turn.outcome}${why ? ` | got ${why}` : ''}${t.fullyRight ? '' : ` | reply: ${short(t.text)}`}`);
      });
    }
  }
  return lines.join('\n');
}
