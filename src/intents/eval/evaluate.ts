import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { Actor } from '../../bot/types.ts';
import { DEMO_STORES } from '../../demo/identities.ts';
import { DEMO_TAGS } from '../../demo/tags.ts';
import type { Services } from '../../services.ts';
import { toStoreEntries, type StoreEntry } from '../router/stores.ts';
import type { RouteContext, Router } from '../router/types.ts';

/** One line of test/intents/tuning/*.jsonl. */
export const evalCaseSchema = z.object({
  text: z.string(),
  audience: z.enum(['staff', 'member']),
  intent: z.string().min(1),
  slots: z.record(z.string(), z.unknown()).default({}),
});
export type EvalCase = z.infer<typeof evalCaseSchema> & { file: string; line: number };

/** The targets CI enforces for the rule router (docs/intents.md, evaluation). */
export const TARGETS = { intent: 0.95, slots: 0.9 } as const;

/**
 * Tags a chain typically has beyond the demo's six (value and risk labels); the evaluation set
 * names them, so the dictionary holds them too.
 */
const EXTRA_TAGS = ['高价值', '高价值客户', '流失风险', '新客', '召回中', '老客'] as const;

/**
 * The tag dictionary the evaluation routes against: the demo's tags and a few common ones, so
 * routing needs no database and the figures do not move when someone edits tags in a database.
 */
export const EVAL_TAGS: readonly string[] = [...new Set([...DEMO_TAGS.map((t) => t.name), ...EXTRA_TAGS])];

/** The stores the evaluation routes against: the demo's (上海徐汇店/徐汇店/徐汇, 上海静安店/静安, 杭州西湖店/西湖). */
export const EVAL_STORES: readonly StoreEntry[] = toStoreEntries(DEMO_STORES);

/** The rule router's dictionaries for the evaluation (no database). */
export const EVAL_DICTIONARIES = { tagNames: async () => EVAL_TAGS, stores: async () => EVAL_STORES };

export async function loadEvalSet(dir: string): Promise<EvalCase[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const cases: EvalCase[] = [];
  for (const file of files) {
    const lines = (await readFile(join(dir, file), 'utf8')).split('\n');
    lines.forEach((raw, i) => {
      if (!raw.trim() || raw.trim().startsWith('//')) return;
      const parsed = evalCaseSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => x.message).join('; ')}`);
      cases.push({ ...parsed.data, file, line: i + 1 });
    });
  }
  return cases;
}

export interface IntentStats {
  intent: string;
  n: number;
  intentOk: number;
  slotsOk: number;
}

export interface EvalReport {
  total: number;
  intentAccuracy: number;
  slotAccuracy: number;
  perIntent: IntentStats[];
  /** expected → got, with how often, most frequent first. */
  confusions: { expected: string; got: string; count: number }[];
  failures: { c: EvalCase; intent: string; slots: Record<string, unknown> }[];
  meetsTargets: boolean;
}

/** Services stand-in for routing without infrastructure: any use is a bug in the evaluation set-up. */
const noServices = new Proxy({}, {
  get(_t, prop) {
    throw new Error(`the intent evaluation runs without services (router touched services.${String(prop)})`);
  },
}) as Services;

const ACTORS: Record<'staff' | 'member', Actor> = {
  staff: { kind: 'staff', staffId: 1, wecomUserId: 'eval_staff', name: '评测店长', role: 'store_manager', storeIds: [1] },
  member: { kind: 'member', memberId: 1, name: '评测会员', phone: '13900000000', homeStoreId: 1 },
};

/**
 * Routes every case and scores it. An utterance counts for slots only when its intent is right
 * and its slots equal the expected ones exactly (no extra, none missing).
 */
export async function evaluate(router: Router, cases: readonly EvalCase[], services: Services = noServices): Promise<EvalReport> {
  const stats = new Map<string, IntentStats>();
  const confusions = new Map<string, number>();
  const failures: EvalReport['failures'] = [];
  let intentOk = 0;
  let slotsOk = 0;
  for (const c of cases) {
    const ctx: RouteContext = { audience: c.audience, actor: ACTORS[c.audience], services };
    const r = await router.route(c.text, ctx);
    const s = stats.get(c.intent) ?? { intent: c.intent, n: 0, intentOk: 0, slotsOk: 0 };
    stats.set(c.intent, s);
    s.n++;
    const iok = r.intent === c.intent;
    const sok = iok && isDeepStrictEqual(r.slots, c.slots);
    if (iok) {
      s.intentOk++;
      intentOk++;
    } else {
      const key = `${c.intent}\u0000${r.intent}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
    }
    if (sok) {
      s.slotsOk++;
      slotsOk++;
    }
    if (!sok) failures.push({ c, intent: r.intent, slots: r.slots });
  }
  const total = cases.length;
  const intentAccuracy = total ? intentOk / total : 0;
  const slotAccuracy = total ? slotsOk / total : 0;
  return {
    total,
    intentAccuracy,
    slotAccuracy,
    perIntent: [...stats.values()].sort((a, b) => a.intent.localeCompare(b.intent)),
    confusions: [...confusions.entries()]
      .map(([k, count]) => {
        const [expected, got] = k.split('\u0000') as [string, string];
        return { expected, got, count };
      })
      .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
    failures,
    meetsTargets: intentAccuracy >= TARGETS.intent && slotAccuracy >= TARGETS.slots,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The report as printed by `npm run eval:intents`. */
export function formatReport(r: EvalReport, opts: { failures?: boolean } = {}): string {
  const w = Math.max(8, ...r.perIntent.map((s) => s.intent.length));
  const lines = [`${'intent'.padEnd(w)}     n  intent   slots`];
  for (const s of r.perIntent) lines.push(`${s.intent.padEnd(w)} ${String(s.n).padStart(5)}  ${pct(s.intentOk / s.n).padStart(6)}  ${pct(s.slotsOk / s.n).padStart(6)}`);
  lines.push(`${'overall'.padEnd(w)} ${String(r.total).padStart(5)}  ${pct(r.intentAccuracy).padStart(6)}  ${pct(r.slotAccuracy).padStart(6)}`);
  lines.push('', `targets: intent ≥ ${pct(TARGETS.intent)}, exact slots ≥ ${pct(TARGETS.slots)} → ${r.meetsTargets ? 'met' : 'NOT MET'}`);
  if (r.confusions.length) {
    lines.push('', 'confusion pairs (expected → got):');
    for (const c of r.confusions) lines.push(`  ${c.expected} → ${c.got}  ×${c.count}`);
  }
  if (opts.failures && r.failures.length) {
    lines.push('', 'misses:');
    for (const f of r.failures) lines.push(`  ${f.c.file}:${f.c.line} ${JSON.stringify(f.c.text)} expected ${f.c.intent} ${JSON.stringify(f.c.slots)} got ${f.intent} ${JSON.stringify(f.slots)}`);
  }
  return lines.join('\n');
}
