import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 24 (s24b's dialogue misses), each class in new wordings of our own (none from test/intents/s24b):
 * the mechanism, not the sentence.
 */
const SM = 'store_manager_01';

const CLASSES: TurnClasses = {
  // s24b wrote a ticket on "…逾期了是吧": a tag question read as a polite 吧 request.
  'a tag question about a ticket or a follow-up (是吧 / 对吧 / 没错吧) never opens anything': [
    [SM, [['看下周杰', 'member.lookup', { name: '周杰' }, 'answered'], ['他那个投诉单超时了是吧', 'member.tickets', { memberNo: 'M00000012' }, 'answered']]],
    [SM, [['陈静的报修单关了对吧', 'member.tickets', { name: '陈静' }, 'answered']]],
    [SM, [['看下李娜', 'member.lookup', { name: '李娜' }, 'answered'], ['她的回访过期了没错吧', 'member.interactions', { memberNo: 'M00000004' }, 'answered']]],
  ],
  // s24b previewed a recall of the whole churn list on "给她发个召回": a list-wide write asked for one member asks instead.
  'a recall asked for one member (a pronoun, a phone) asks, never previews the whole list': [
    [SM, [['看下陈静', 'member.lookup', { name: '陈静' }, 'answered'], ['给她发张召回券吧', 'recall.launch', undefined, 'asked'], ['那流失名单整体发 30块', 'recall.launch', { amount: '30.00' }, 'held']]],
    [SM, [['13800000006 发个召回券', 'recall.launch', undefined, 'asked']]],
    [SM, [['给她们都发召回券 25的', 'recall.launch', { amount: '25.00' }, 'held']]],
  ],
};

describeTurnClasses('turn classes, session 24 (s24b)', 'bot_turn_classes_s24b', CLASSES);
