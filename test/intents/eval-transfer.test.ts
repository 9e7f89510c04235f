import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/pipeline.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import type { EvalConversation } from '../../src/intents/eval/cases.ts';
import { runConversations } from '../../src/intents/eval/conversations.ts';
import { keepWorld } from '../../src/intents/eval/world-restore.ts';
import { createRouter } from '../../src/intents/router/index.ts';
import { openEvalWorld } from '../support/intents-eval.ts';

/**
 * The evaluation world reaches WeCom (a fake qyapi, openEvalWorld): a contacts transfer confirmed in an evaluation
 * conversation really starts — transfer_customer with the handover's customers, in WeCom's wire format — and is `done`,
 * as it is in production; and every conversation finds WeCom as the world left it, so the same transfer is done again
 * in the next one (without the reset the fake answers 40129, "a transfer is waiting", and nothing starts).
 */
describe('contacts.transfer in the evaluation world', () => {
  let w: Awaited<ReturnType<typeof openEvalWorld>>;
  beforeAll(async () => {
    w = await openEvalWorld('eval_transfer');
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  it('a confirmed transfer runs against WeCom and is done, in every conversation', async () => {
    const bot = createBot({ services: w.env.services, router: createRouter(intents), getIntent });
    const kept = await keepWorld(w.env.services);
    const conversation = (id: string): EvalConversation => ({
      id,
      audience: 'staff',
      from: 'store_manager_01',
      file: 'eval-transfer.test.ts',
      line: 0,
      turns: [
        { say: '把agent_01的客户都转给store_manager_01', intent: 'contacts.transfer', slots: { from: 'agent_01', to: 'store_manager_01' }, outcome: 'held' },
        { say: '确认', intent: 'action.confirm', outcome: 'done' },
      ],
    });
    const [first, second] = await runConversations(w.env.services, bot, [conversation('t1'), conversation('t2')], kept, w.resetWeCom);
    for (const r of [first!, second!]) expect(r.turns.map((t) => [t.got, t.fullyRight, t.text.slice(0, 60)])).toEqual([['held', true, expect.any(String)], ['done', true, expect.any(String)]]);
    // The second conversation's call, the first's forgotten with the world: 客服小刘's two customers to 王店长.
    expect(w.wecom.transferCalls).toEqual([{ api: 'transfer_customer', external_userid: ['wmEvalLiNa', 'wmEvalZhouJie'] }]);
    expect(w.wecom.transfers.map((t) => [t.kind, t.handover, t.takeover, t.external, t.status])).toEqual([
      ['in_service', 'agent_01', 'store_manager_01', 'wmEvalLiNa', 2],
      ['in_service', 'agent_01', 'store_manager_01', 'wmEvalZhouJie', 2],
    ]);
    // The database's record of the transfer is put back with the world too: one batch, the second conversation's.
    const [rows] = await w.env.services.sql.query<any[]>('SELECT COUNT(DISTINCT batch) AS batches, COUNT(*) AS n FROM wecom_transfers');
    expect([Number(rows[0].batches), Number(rows[0].n)]).toEqual([1, 2]);
  }, 120_000);
});
