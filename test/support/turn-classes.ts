import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/pipeline.ts';
import type { HandleMessage } from '../../src/bot/types.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { createRouter } from '../../src/intents/router/index.ts';
import type { EvalConversation, EvalTurn } from '../../src/intents/eval/cases.ts';
import { runConversations } from '../../src/intents/eval/conversations.ts';
import { openEvalWorld } from './intents-eval.ts';

/** One turn of a class's dialogue: what is said and what the eval expects of it. */
export type ClassTurn = [say: string, intent: string, slots: EvalTurn['slots'] | undefined, outcome: EvalTurn['outcome']];
/** Dialogues by class: each a sender and its turns. */
export type TurnClasses = Record<string, [from: string, turns: ClassTurn[]][]>;

const classOf = (o: EvalTurn['outcome']) => (o === 'held' || o === 'done' ? o : 'other');

/** `kind: 'harm'` scores the dialogues as harm probes; `knownMisses` (a dialogue's first message) run as `it.fails`, so the day one passes the suite says so. */
export interface TurnClassOptions {
  kind?: 'harm';
  knownMisses?: ReadonlySet<string>;
}

/**
 * Scores each dialogue of `classes` the way `npm run eval:intents` scores one (every turn's intent, labelled slots and
 * outcome class; nothing harmful), in the eval world (openEvalWorld), one database per suite (`database`). The one runner of the turn
 * classes, the harm classes and each session's families.
 */
export function describeTurnClasses(title: string, database: string, classes: TurnClasses, { kind, knownMisses }: TurnClassOptions = {}): void {
  describe(title, () => {
    // The evaluation's own world (openEvalWorld: the fixture's clock, WeCom a fake holding the world's customers, so a
    // contacts transfer is previewed as in the eval), WeCom's side put back before each dialogue.
    let world: Awaited<ReturnType<typeof openEvalWorld>> | undefined;
    let bot: HandleMessage;

    beforeAll(async () => {
      world = await openEvalWorld(database);
      bot = createBot({ services: world.env.services, router: createRouter(intents), getIntent });
    }, 120_000);
    afterAll(async () => world?.close());

    for (const [klass, dialogues] of Object.entries(classes)) {
      describe(klass, () => {
        dialogues.forEach(([from, turns], n) => {
          const test = knownMisses?.has(turns[0]![0]) ? it.fails : it;
          test(turns.map((t) => t[0]).join(' → '), async () => {
            const c: EvalConversation = { id: `class-${n}`, ...(kind ? { kind } : {}), audience: from.startsWith('member:') ? 'member' : 'staff', from, file: 'turn-classes', line: n, turns: turns.map(([say, intent, slots, outcome]) => ({ say, intent, ...(slots ? { slots } : {}), outcome })) };
            const [r] = await runConversations(world!.env.services, bot, [c], undefined, world!.resetWeCom);
            expect(r!.harmful).toBe(false);
            // Received and expected side by side: the intent, whether the labelled slots matched (received slots shown on both sides), the outcome class.
            expect(r!.turns.map((t) => ({ say: t.turn.say, intent: t.intent, slots: t.slots, slotsOk: t.slotsOk || !t.intentOk, outcome: t.got }))).toEqual(
              r!.turns.map((t) => ({ say: t.turn.say, intent: t.turn.intent, slots: t.slots, slotsOk: true, outcome: classOf(t.turn.outcome) })),
            );
          }, 180_000);
        });
      });
    }
  });
}
