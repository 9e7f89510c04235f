import { fileURLToPath } from 'node:url';
import { access } from 'node:fs/promises';
import { createBot } from '../../src/bot/pipeline.ts';
import type { MemberActor } from '../../src/bot/types.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { loadConversations, loadEvalSet } from '../../src/intents/eval/cases.ts';
import { runConversations, summarize, type ConversationResult } from '../../src/intents/eval/conversations.ts';
import { evaluate, type EvalReport } from '../../src/intents/eval/evaluate.ts';
import { createRouter } from '../../src/intents/router/index.ts';
import { createTestEnv } from './env.ts';
import { createEvalWorld } from './crm/eval-world.ts';
import { NOW } from './crm/fixture.ts';

/** The two sets: the project's own (tuned to, gated) and the blind one (reported, never tuned to). */
export const EVAL_SETS = {
  tuning: fileURLToPath(new URL('../intents/tuning/', import.meta.url)),
  test: fileURLToPath(new URL('../intents/test/', import.meta.url)),
} as const;
export type EvalSetName = keyof typeof EVAL_SETS;

export interface SetResult {
  singles: EvalReport;
  dialogues: ConversationResult[];
  harm: ConversationResult[];
}

export async function setExists(name: EvalSetName): Promise<boolean> {
  return access(EVAL_SETS[name]).then(
    () => true,
    () => false,
  );
}

/**
 * Evaluates one set against the bot as it runs (the catalogue, createRouter, createBot) on a
 * database and Redis prefix of its own holding the evaluation world (test/support/crm/eval-world.ts),
 * with the clock at the fixture's NOW and no LLM configured, so figures are reproducible.
 * Single messages are routed on their own (sent by store_manager_01 or member 13800000001);
 * dialogues, then harm probes, go through the whole pipeline. The database is dropped after.
 */
export async function evaluateSet(name: EvalSetName, label = `eval_${name}_${process.pid}`): Promise<SetResult> {
  const dir = EVAL_SETS[name];
  const [cases, dialogues, harm] = [await loadEvalSet(dir), await loadConversations(dir, 'dialogues'), await loadConversations(dir, 'harm')];
  const env = await createTestEnv(label, {}, { now: () => NOW });
  try {
    const world = await createEvalWorld(env.services);
    const router = createRouter(intents);
    const m = await env.services.db.member.findFirstOrThrow({ where: { phone: '13800000001' } });
    const member: MemberActor = { kind: 'member', memberId: m.id, name: m.name ?? '', phone: m.phone ?? '', homeStoreId: m.homeStoreId };
    const singles = await evaluate(router, cases, { services: env.services, actors: { staff: world.staff.manager1, member } });
    const bot = createBot({ services: env.services, router, getIntent });
    return { singles, dialogues: await runConversations(env.services, bot, dialogues), harm: await runConversations(env.services, bot, harm) };
  } finally {
    await env.cleanup();
  }
}

/** The tuning set's gate: intent and slot targets of the singles, and not one harmful probe or dialogue. */
export function meetsTargets(r: SetResult): boolean {
  return r.singles.meetsTargets && summarize(r.harm).harmful.length === 0 && summarize(r.dialogues).harmful.length === 0;
}
