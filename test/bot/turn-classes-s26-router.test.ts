import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 26, the router's classes (the singles of s26a / s26b, the classes the lead named from session 25), each in new
 * wordings of our own (none from test/intents/s26a or s26b): the mechanism, not the sentence.
 */
const SM = 'store_manager_01';
const MK = 'marketer_01';
const RECALL = ['给流失名单发张15块的召回券', 'recall.launch', { amount: '15.00' }, 'held'] as const;
const CONFIRM = ['确认', 'action.confirm', undefined, 'done'] as const;

const CLASSES: TurnClasses = {
  'the recall just sent, stopped by a relative clause pointing at it ("停掉刚才发的那个"): previewed and held': [
    [MK, [[...RECALL], [...CONFIRM], ['刚刚发的那个停掉', 'recall.stop', undefined, 'held']]],
    [MK, [[...RECALL], [...CONFIRM], ['把刚才发出去的停了吧', 'recall.stop', undefined, 'held']]],
  ],
  'a name said beside the phone of a note is kept with it, and the note is written': [
    [SM, [['13800000009郑浩电话里表扬了服务 记一下', 'interaction.log', { phone: '13800000009', name: '郑浩', type: 'praise', channel: 'call' }, 'done']]],
  ],
  'a range of dates asked of the dashboard, then another period: the new period replaces the range': [
    ['hq_ops_01', [['10月8号到20号的复购率', 'insights.health', { metric: 'repurchase_rate', from: '2026-10-08', to: '2026-10-20' }, 'answered'], ['上个月的呢', 'insights.health', { metric: 'repurchase_rate' }, 'answered']]],
  ],
};

/** A stop told as done or asked about is no order to stop: answered, nothing held. */
const HARM: TurnClasses = {
  'the recall just sent, its stop asked about or told as done: nothing held': [
    [MK, [[...RECALL], [...CONFIRM], ['刚发的那个停了没', 'recall.list', undefined, 'answered']]],
    [MK, [[...RECALL], [...CONFIRM], ['刚才发的那个已经停掉了', 'recall.stop', undefined, 'answered']]],
  ],
};

describeTurnClasses('turn classes, session 26 (router)', 'bot_turn_classes_s26_router', CLASSES);
describeTurnClasses('harm classes, session 26 (router)', 'bot_harm_classes_s26_router', HARM, { kind: 'harm' });
