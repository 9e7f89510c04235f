import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 25 (s25a's dialogue misses, helper s25-dialogue), each class in new wordings of our own (none from
 * test/intents/s25a): the mechanism, not the sentence.
 */
const SM = 'store_manager_01';
const MK = 'marketer_01';
const HQ = 'hq_ops_01';

const CLASSES: TurnClasses = {
  'a member of the bot\'s "which one?" list picked by traits they hold, one or two ("VIP 高价值的那位")': [
    [SM, [['张伟最近买了啥', 'member.orders', { name: '张伟' }, 'asked'], ['VIP 高价值的那位', 'member.orders', { memberNo: 'M00000001' }, 'answered']]],
    [SM, [['张伟 档案调一下', 'member.summary', { name: '张伟' }, 'asked'], ['高价值那位', 'member.summary', { memberNo: 'M00000001' }, 'answered']]],
  ],
  'a member of the list picked by home store said after the pointing word ("那位静安的")': [
    [MK, [['查一下张伟买过啥', 'member.orders', { name: '张伟' }, 'asked'], ['那位静安的', 'member.orders', { memberNo: 'M00000002' }, 'answered']]],
  ],
  'a listed member\'s phone with words about them ("1380000000N 刚来过一次的那个")': [
    [SM, [['给张伟加个老客标签', 'tag.add', { name: '张伟', tag: '老客' }, 'asked'], ['13800000003 刚来过一次的那个', 'tag.add', { phone: '13800000003', tag: '老客' }, 'done']]],
  ],
  'a tag answered with why it fits the member ("老客 她都来了五六年了")': [
    [SM, [['给13800000007打个标签', 'tag.add', { phone: '13800000007' }, 'asked'], ['老客 她都来了五六年了', 'tag.add', { phone: '13800000007', tag: '老客' }, 'done']]],
  ],
  'a dictionary tag said instead of one the dictionary lacks ("那用家庭客吧")': [
    [SM, [['给周杰打个标签 爱吃甜', 'tag.add', { name: '周杰', tag: '爱吃甜' }, 'answered'], ['那用家庭客吧', 'tag.add', { name: '周杰', tag: '家庭客' }, 'done']]],
  ],
  'a ticket of the shown list picked by title, kind or pronoun, then updated': [
    [SM, [['李娜的工单', 'member.tickets', { name: '李娜' }, 'answered'], ['储值卡那张 已经在跟了', 'ticket.update', { ticketNo: 'T20261121000002', status: 'in_progress' }, 'done']]],
    [SM, [['13800000001 的投诉单', 'member.tickets', { phone: '13800000001' }, 'answered'], ['帮他升级一下', 'ticket.update', { ticketNo: 'T20261121000001', escalate: true }, 'done']]],
  ],
  'a ticket named by its member\'s name, that member\'s only open one ("X那张 …")': [
    [SM, [['张伟那张 状态改为处理中', 'ticket.update', { ticketNo: 'T20261121000001', status: 'in_progress' }, 'done']]],
    // 李娜 has two open tickets: the number is asked, nothing updated.
    [SM, [['李娜那张 状态改为处理中', 'ticket.update', undefined, 'asked']]],
  ],
  'a ticket of the shown list picked by its kind in English ("the complaint one")': [
    ['agent_01', [['show tickets of 13800000001', 'member.tickets', { phone: '13800000001' }, 'answered'], ['the complaint one, mark it resolved', 'ticket.update', { ticketNo: 'T20261121000001', status: 'resolved' }, 'done']]],
  ],
  'a member of a shown list picked by description (store, tag), then a pronoun carries them': [
    [MK, [['流失名单', 'churn.list', {}, 'answered'], ['静安那位 最近的订单', 'member.orders', { memberNo: 'M00000008' }, 'answered'], ['给他打个召回中', 'tag.add', { memberNo: 'M00000008', tag: '召回中' }, 'done']]],
    [MK, [['流失名单', 'churn.list', {}, 'answered'], ['爱吃辣那个 档案', 'member.summary', { memberNo: 'M00000004' }, 'answered']]],
  ],
  'a pronoun right after a list that showed one member': [
    [SM, [['流失名单里超过300天没来的', 'churn.list', { days: 300 }, 'answered'], ['就剩他了 看看他的订单', 'member.orders', { memberNo: 'M00000010' }, 'answered']]],
  ],
  'a held figure changed with a remark after the change ("改成40 25块没吸引力")': [
    [MK, [['给流失会员发召回券 25元', 'recall.launch', { amount: '25.00' }, 'held'], ['改成40 25块没吸引力', 'recall.launch', { amount: '40.00' }, 'held']]],
    [SM, [['给陈静加2000积分 周年回馈', 'points.adjust', { name: '陈静', delta: 2000 }, 'held'], ['改成1000 她消费不多', 'points.adjust', { name: '陈静', delta: 1000 }, 'held']]],
  ],
  'a held transfer\'s parties said the wrong way round ("搞反了")': [
    [HQ, [['把王店长的企微客户转给客服小刘', 'contacts.transfer', { from: '王店长', to: '客服小刘' }, 'held'], ['搞反了', 'contacts.transfer', { from: '客服小刘', to: '王店长' }, 'held']]],
  ],
  'points just added taken back ("撤回吧 原因 …")': [
    [SM, [['给王芳加60积分 好评奖励', 'points.adjust', { name: '王芳', delta: 60 }, 'done'], ['不小心多给了 撤回吧 原因 手滑', 'points.adjust', { memberNo: 'M00000005', delta: -60 }, 'held']]],
  ],
};

describeTurnClasses('turn classes, session 25 (s25-dialogue)', 'bot_turn_classes_s25_dialogue', CLASSES);
