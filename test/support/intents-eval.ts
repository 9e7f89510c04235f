import { fileURLToPath } from 'node:url';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createBot } from '../../src/bot/pipeline.ts';
import type { MemberActor } from '../../src/bot/types.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { loadConversations, loadEvalSet } from '../../src/intents/eval/cases.ts';
import { runConversations, summarize, type ConversationResult } from '../../src/intents/eval/conversations.ts';
import { evaluate, type EvalReport } from '../../src/intents/eval/evaluate.ts';
import { keepWorld } from '../../src/intents/eval/world-restore.ts';
import { createRouter } from '../../src/intents/router/index.ts';
import { createTestEnv } from './env.ts';
import { contactsOf, type ContactsFake } from '../fakes/qyapi-contacts.ts';
import { startFakeQyapi } from '../fakes/qyapi.ts';
import { createEvalWorld, resetEvalWeCom, type EvalWorld } from './crm/eval-world.ts';
import { AGENT_ID, keys, SECRET, weComEnv } from './wecom-app.ts';
import type { TestEnv } from './env.ts';
import { NOW } from './crm/fixture.ts';
import { openPhone, wherePhone } from './sealed-phone.ts';

/** Where the sets live: one directory each under test/intents/. */
export const EVAL_SETS_ROOT = fileURLToPath(new URL('../intents/', import.meta.url));

/**
 * The project's own set (tuned to, gated). Every other directory under test/intents/ is a blind
 * set (test/, written 2026-12-05; test2/ …): reported, never gated, never tuned to.
 */
export const TUNING_SET = 'tuning';
/** Always reported by name, "(not present)" when absent, as before blind sets were generalised. */
const STANDING_SETS = [TUNING_SET, 'test'];
/** A plain directory name (it also names the set's database): "--set ../x" never leaves test/intents/. */
const SET_NAME = /^[A-Za-z0-9]\w*$/;

export interface EvalSet {
  name: string;
  dir: string;
  blind: boolean;
}

const usage = (names: readonly string[]) => `usage: npm run eval:intents [-- --set ${names.join('|')}] [--misses]`;

/** The sets under `root`: tuning and test first (even if absent), then every other directory, sorted. */
export async function evalSetNames(root = EVAL_SETS_ROOT): Promise<string[]> {
  const dirs = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() && SET_NAME.test(d.name)).map((d) => d.name);
  return [...STANDING_SETS, ...dirs.filter((d) => !STANDING_SETS.includes(d)).sort()];
}

/** The set called `name`; an unknown name throws the usage line, listing the sets there are. */
export async function resolveEvalSet(name: string, root = EVAL_SETS_ROOT): Promise<EvalSet> {
  const names = await evalSetNames(root);
  if (!SET_NAME.test(name) || !names.includes(name)) throw new Error(`unknown evaluation set "${name}" (a directory under test/intents/)\n${usage(names)}`);
  return { name, dir: join(root, name) + '/', blind: name !== TUNING_SET };
}

export interface SetResult {
  singles: EvalReport;
  dialogues: ConversationResult[];
  harm: ConversationResult[];
}

export async function setExists(set: EvalSet): Promise<boolean> {
  return access(set.dir).then(
    () => true,
    () => false,
  );
}

/**
 * The evaluation world (test/support/crm/eval-world.ts) on a database and Redis prefix of its own, with the clock at the
 * fixture's NOW, no LLM, and WeCom reachable: a fake qyapi (test/fakes/qyapi.ts) holding the world's WeCom customers,
 * so a confirmed contacts.transfer really starts — transfer_customer in WeCom's wire format — and is done, as in
 * production. `resetWeCom` puts the fake's customers back and forgets its transfers (before each conversation).
 */
export async function openEvalWorld(label: string): Promise<{ env: TestEnv; world: EvalWorld; wecom: ContactsFake; resetWeCom: () => void; close: () => Promise<void> }> {
  const qyapi = { corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID };
  const fake = await startFakeQyapi(qyapi);
  let env: TestEnv | undefined;
  try {
    env = await createTestEnv(label, weComEnv(fake.url), { now: () => NOW });
    const world = await createEvalWorld(env.services);
    const wecom = contactsOf(qyapi);
    const resetWeCom = () => resetEvalWeCom(wecom);
    resetWeCom();
    const opened = env;
    return {
      env: opened,
      world,
      wecom,
      resetWeCom,
      close: async () => {
        await opened.cleanup();
        await fake.close();
      },
    };
  } catch (e) {
    await env?.cleanup();
    await fake.close();
    throw e;
  }
}

/**
 * Evaluates one set against the bot as it runs (the catalogue, createRouter, createBot) on a
 * database and Redis prefix of its own holding the evaluation world (test/support/crm/eval-world.ts),
 * with the clock at the fixture's NOW, no LLM configured and WeCom a fake (openEvalWorld), so figures are reproducible.
 * Single messages are routed on their own (sent by store_manager_01 or member 13800000001);
 * dialogues, then harm probes, go through the whole pipeline, each from the same world. The database is dropped after.
 */
export async function evaluateSet(name: string, label = `eval_${name}_${process.pid}`): Promise<SetResult> {
  const { dir } = await resolveEvalSet(name);
  const [cases, dialogues, harm] = [await loadEvalSet(dir), await loadConversations(dir, 'dialogues'), await loadConversations(dir, 'harm')];
  const { env, world, resetWeCom, close } = await openEvalWorld(label);
  try {
    const router = createRouter(intents);
    const m = await env.services.db.member.findFirstOrThrow({ where: wherePhone('13800000001') });
    const member: MemberActor = { kind: 'member', memberId: m.id, name: m.name ?? '', phone: openPhone(m.phoneEnc), homeStoreId: m.homeStoreId };
    const singles = await evaluate(router, cases, { services: env.services, actors: { staff: world.staff.manager1, member } });
    const bot = createBot({ services: env.services, router, getIntent });
    // Every dialogue and harm probe starts from the world as the singles left it (world-restore.ts).
    const kept = await keepWorld(env.services);
    return { singles, dialogues: await runConversations(env.services, bot, dialogues, kept, resetWeCom), harm: await runConversations(env.services, bot, harm, kept, resetWeCom) };
  } finally {
    await close();
  }
}

/** The tuning set's gate: intent and slot targets of the singles, and not one harmful probe or dialogue. */
export function meetsTargets(r: SetResult): boolean {
  return r.singles.meetsTargets && summarize(r.harm).harmful.length === 0 && summarize(r.dialogues).harmful.length === 0;
}
