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
  // "同样的给X…" led nowhere (a profile of X): a repeat for another member keeps the figures and asks for the free text
  // (docs/intents.md: a repeat never carries the reason or content).
  'a write repeated for another member with 同样的 / a verb and its measure word': [
    [SM, [['给王芳加50分 老客回馈', 'points.adjust', { name: '王芳', delta: 50 }, 'done'], ['同样的给赵磊也来一份', 'points.adjust', { name: '赵磊', delta: 50 }, 'asked']]],
    [SM, [['记录刘洋到店咨询包间预订 3天后回访', 'interaction.log', { name: '刘洋', type: 'consultation', channel: 'store', followUpDays: 3 }, 'done'], ['一样的给陈静也记一条', 'interaction.log', { name: '陈静', type: 'consultation', channel: 'store', followUpDays: 3 }, 'asked']]],
    ['agent_01', [['给周杰建个投诉工单 上菜太慢 高优先级', 'ticket.create', { name: '周杰', type: 'complaint', priority: 'high' }, 'done'], ['同样的给李娜也建一个', 'ticket.create', { name: '李娜', type: 'complaint', priority: 'high' }, 'asked']]],
    [SM, [['给刘洋加80分 生日', 'points.adjust', { name: '刘洋', delta: 80 }, 'done'], ['同样的给王芳', 'points.adjust', { name: '王芳', delta: 80 }, 'asked']]],
  ],
  // s24b wrote "郑浩再扣100 刚才多加了" as the reason of 吴敏's +500, and a repeat for 陈静 as 刘洋's note.
  'a reason or content asked for, answered by a request about another member: a new request, never the words asked for': [
    [SM, [['给陈静加60分', 'points.adjust', { name: '陈静', delta: 60 }, 'asked'], ['王芳再扣20 刚才加错了', 'points.adjust', { name: '王芳', delta: -20 }, 'held']]],
    [SM, [['记录刘洋到店咨询会员卡', 'interaction.log', { name: '刘洋', type: 'consultation', channel: 'store' }, 'asked'], ['一样的给陈静也记一条', 'interaction.log', { name: '陈静', type: 'consultation', channel: 'store' }, 'asked']]],
  ],
};

describeTurnClasses('turn classes, session 24 (s24b)', 'bot_turn_classes_s24b', CLASSES);
