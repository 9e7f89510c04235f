import type { Actor } from '../../bot/types.ts';
import { DEMO_STORES } from '../../demo/identities.ts';
import { DEMO_TAGS } from '../../demo/tags.ts';
import { languageOf } from '../../i18n/index.ts';
import type { Services } from '../../services.ts';
import { toStoreEntries, type StoreEntry } from '../router/stores.ts';
import { toLevelEntries, type LevelEntry } from '../router/level-names.ts';
import type { RouteContext, Router } from '../router/types.ts';
import { calibrationTable, type CalibrationBin } from './calibration.ts';
import type { EvalCase } from './cases.ts';
import { slotsMatch } from './slots.ts';

export { evalCaseSchema, loadEvalSet, type EvalCase } from './cases.ts';

/** The targets the TUNING set must meet (CI); the blind test set's figures are reported, never gated. */
export const TARGETS = { intent: 0.95, slots: 0.9 } as const;

/**
 * Tags a chain typically has beyond the demo's six (value and risk labels); the evaluation set
 * names them, so the dictionary holds them too.
 */
const EXTRA_TAGS = ['高价值', '高价值客户', '流失风险', '新客', '召回中', '老客'] as const;

/**
 * The tag dictionary of routing without a database: the demo's tags and a few common ones (the
 * same twelve the evaluation world has).
 */
export const EVAL_TAGS: readonly string[] = [...new Set([...DEMO_TAGS.map((t) => t.name), ...EXTRA_TAGS])];

/** The demo's stores (上海徐汇店/徐汇店/徐汇, 上海静安店/静安, 杭州西湖店/西湖). */
export const EVAL_STORES: readonly StoreEntry[] = toStoreEntries(DEMO_STORES);

/** The rule router's dictionaries without a database. */
/** The levels the migrations seed (membership_levels: 普通 / 银卡 / 金卡 / 铂金 / 钻石会员). */
export const EVAL_LEVELS: readonly LevelEntry[] = toLevelEntries(['普通会员', '银卡会员', '金卡会员', '铂金会员', '钻石会员'].map((name, i) => ({ level: i + 1, name })));

export const EVAL_DICTIONARIES = { tagNames: async () => EVAL_TAGS, stores: async () => EVAL_STORES, levels: async () => EVAL_LEVELS };

/** Right answers of one group (an intent, a style, a language). */
export interface GroupStats {
  key: string;
  n: number;
  intentOk: number;
  slotsOk: number;
}

export interface EvalReport {
  total: number;
  intentAccuracy: number;
  /** Right intent and every non-free-text slot exactly right. */
  slotAccuracy: number;
  perIntent: GroupStats[];
  /** By the line's `style` ("unlabelled" when it has none). */
  perStyle: GroupStats[];
  /** By the line's `lang`, else the language of its text. */
  perLang: GroupStats[];
  /** expected → got, with how often, most frequent first. */
  confusions: { expected: string; got: string; count: number }[];
  /** The router's reported confidence vs whether the intent was right. */
  calibration: CalibrationBin[];
  failures: { c: EvalCase; intent: string; slots: Record<string, unknown>; confidence: number }[];
  meetsTargets: boolean;
}

/** Services stand-in for routing without infrastructure: any use is a bug in the evaluation set-up. */
const noServices = new Proxy({}, {
  get(_t, prop) {
    throw new Error(`the intent evaluation runs without services (router touched services.${String(prop)})`);
  },
}) as Services;

const STAND_IN_ACTORS: Record<'staff' | 'member', Actor> = {
  staff: { kind: 'staff', staffId: 1, wecomUserId: 'eval_staff', name: '评测店长', role: 'store_manager', storeIds: [1] },
  member: { kind: 'member', memberId: 1, name: '评测会员', phone: '13900000000', homeStoreId: 1 },
};

export interface EvaluateOptions {
  /** The database the router's dictionaries come from (none: the router must not need one). */
  services?: Services;
  /** Who sends each audience's messages (default: stand-ins). */
  actors?: Record<'staff' | 'member', Actor>;
}

function tally(map: Map<string, GroupStats>, key: string, intentOk: boolean, slotsOk: boolean): void {
  const s = map.get(key) ?? { key, n: 0, intentOk: 0, slotsOk: 0 };
  map.set(key, s);
  s.n++;
  if (intentOk) s.intentOk++;
  if (slotsOk) s.slotsOk++;
}

const sorted = (m: Map<string, GroupStats>) => [...m.values()].sort((a, b) => a.key.localeCompare(b.key));

/**
 * Routes every case on its own (no conversation) and scores it. An utterance counts for slots
 * only when its intent is right and its slots, free text aside, equal the expected ones exactly.
 */
export async function evaluate(router: Router, cases: readonly EvalCase[], opts: EvaluateOptions = {}): Promise<EvalReport> {
  const services = opts.services ?? noServices;
  const actors = opts.actors ?? STAND_IN_ACTORS;
  const perIntent = new Map<string, GroupStats>();
  const perStyle = new Map<string, GroupStats>();
  const perLang = new Map<string, GroupStats>();
  const confusions = new Map<string, number>();
  const failures: EvalReport['failures'] = [];
  const pairs: { confidence: number; correct: boolean }[] = [];
  let intentOk = 0;
  let slotsOk = 0;
  for (const c of cases) {
    const ctx: RouteContext = { audience: c.audience, actor: actors[c.audience], services, requestId: `eval-${c.file}-${c.line}` };
    const r = await router.route(c.text, ctx);
    const iok = r.intent === c.intent;
    const sok = iok && slotsMatch(c.slots, r.slots);
    tally(perIntent, c.intent, iok, sok);
    tally(perStyle, c.style ?? 'unlabelled', iok, sok);
    tally(perLang, c.lang ?? languageOf(c.text) ?? 'zh', iok, sok);
    pairs.push({ confidence: r.confidence, correct: iok });
    if (iok) intentOk++;
    else {
      const key = `${c.intent}\u0000${r.intent}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
    }
    if (sok) slotsOk++;
    else failures.push({ c, intent: r.intent, slots: r.slots, confidence: r.confidence });
  }
  const total = cases.length;
  const intentAccuracy = total ? intentOk / total : 0;
  const slotAccuracy = total ? slotsOk / total : 0;
  return {
    total,
    intentAccuracy,
    slotAccuracy,
    perIntent: sorted(perIntent),
    perStyle: sorted(perStyle),
    perLang: sorted(perLang),
    confusions: [...confusions.entries()]
      .map(([k, count]) => {
        const [expected, got] = k.split('\u0000') as [string, string];
        return { expected, got, count };
      })
      .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
    calibration: calibrationTable(pairs),
    failures,
    meetsTargets: intentAccuracy >= TARGETS.intent && slotAccuracy >= TARGETS.slots,
  };
}
