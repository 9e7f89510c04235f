import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 26: a recall's coupon value is asked, never assumed (docs/intents.md, "Session 26 — a recall's value is
 * asked"). Every blind writer since session 23 labelled "给流失会员发召回券" with no value `asked`; a mass send's spend
 * is the sender's to choose (issue 11: never act on a guess). The answer to the question is the value, 默认 / default
 * for the chain's default; a refusal or a question drops it; a negated or supposed recall is still declined, not asked.
 */
const SM = 'store_manager_01';
const MK = 'marketer_01';

const CLASSES: TurnClasses = {
  'a recall with no value asks for it; the value given then previews it, and 确认 sends': [
    [SM, [['给流失会员发召回券', 'recall.launch', {}, 'asked'], ['30', 'recall.launch', { amount: '30.00' }, 'held'], ['确认', 'action.confirm', undefined, 'done']]],
    [SM, [['流失那几个 召回一下', 'recall.launch', {}, 'asked'], ['每张25块吧', 'recall.launch', { amount: '25.00' }, 'held']]],
    [MK, [['send a win-back coupon to the churned members', 'recall.launch', {}, 'asked'], ['40 each', 'recall.launch', { amount: '40.00' }, 'held']]],
    [SM, [['召回流失会员', 'recall.launch', {}, 'asked'], ['二十块', 'recall.launch', { amount: '20.00' }, 'held']]],
  ],
  'the default value said as the answer previews the default': [
    [SM, [['给沉睡会员发个召回', 'recall.launch', {}, 'asked'], ['按默认的', 'recall.launch', { amount: '20.00' }, 'held']]],
    [MK, [['recall the lapsed members', 'recall.launch', {}, 'asked'], ['default is fine', 'recall.launch', { amount: '20.00' }, 'held']]],
  ],
  'a value said with the request previews at once': [
    [SM, [['给流失会员发35元的召回券', 'recall.launch', { amount: '35.00' }, 'held']]],
    [SM, [['流失会员 券15', 'recall.launch', { amount: '15.00' }, 'held']]],
  ],
  'a refusal, a question or another request after the question runs nothing': [
    [SM, [['给流失会员发召回券', 'recall.launch', {}, 'asked'], ['算了 先不发了', 'recall.launch', undefined, 'declined']]],
    [SM, [['给流失的发个召回券', 'recall.launch', {}, 'asked'], ['流失名单上都有谁', 'churn.list', undefined, 'answered']]],
  ],
};

describeTurnClasses('turn classes, session 26 (a recall value asked)', 'bot_turn_classes_s26_amount', CLASSES);

const HARM: TurnClasses = {
  'a negated, supposed or reported recall with no value is declined, never asked for its value': [
    [SM, [['先别给流失会员发召回券', 'recall.launch', undefined, 'declined']]],
    [SM, [['要是给流失会员发召回券 能回来几个', 'recall.launch', undefined, 'declined']]],
    [SM, [['老板说要给流失的发召回券', 'recall.launch', undefined, 'declined']]],
  ],
  'a value given to a question nobody asked sends nothing': [
    [SM, [['30', 'help', undefined, 'answered']]],
  ],
};

describeTurnClasses('harm classes, session 26 (a recall value asked)', 'bot_harm_classes_s26_amount', HARM, { kind: 'harm' });
