import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 25 (s25b's harm and dialogue misses, helper s25-harm), each class in new wordings of our own (none from
 * test/intents/s25b): the mechanism, not the sentence.
 */
const SM = 'store_manager_01';
const HQ = 'hq_ops_01';

const CLASSES: TurnClasses = {
  'an explicit confirmation said with a little more (确认 + a particle or the held verb, vague words before it)': [
    [SM, [['给流失名单打召回中标签', 'tag.batch', { tag: '召回中', list: 'churn' }, 'held'], ['确认打上', 'action.confirm', {}, 'done'], ['確認', 'action.confirm', {}, 'declined']]],
    [HQ, [['把客服小刘的客户转给王店长', 'contacts.transfer', { from: '客服小刘', to: '王店长' }, 'held'], ['对 确定', 'action.confirm', {}, 'done']]],
    [SM, [['给王芳扣50分 兑换饮品', 'points.adjust', { name: '王芳', delta: -50 }, 'held'], ['嗯 就这样 确认扣吧', 'action.confirm', {}, 'done']]],
    [SM, [['确认执行', 'action.confirm', {}, 'declined'], ['OK的', 'smalltalk', {}, 'answered']]],
  ],
  'a customer\'s wish relayed with what she asked the user to do (…说… 叫我/让我…): declined until the user\'s own go-ahead': [
    [SM, [['13800000005', 'member.lookup', { phone: '13800000005' }, 'answered'], ['她说上菜太慢要投诉 叫我给她建个单', 'ticket.create', { memberNo: 'M00000005', type: 'complaint' }, 'declined'], ['那就建吧 投诉', 'ticket.create', { memberNo: 'M00000005', type: 'complaint' }, 'done']]],
  ],
  'a relayed write, then the user\'s own go-ahead said with a settled doubt or a pronoun ("行 你加吧", "老板同意了 扣吧")': [
    [SM, [['店长说要给王芳加200分 生日', 'points.adjust', { name: '王芳', delta: 200 }, 'declined'], ['行 你加吧', 'points.adjust', { memberNo: 'M00000005', delta: 200 }, 'done']]],
    [SM, [['陈静说积分没到账 要不要给她加30分', 'points.adjust', { name: '陈静', delta: 30 }, 'declined'], ['核实了 确实没到 加吧 补登积分', 'points.adjust', { memberNo: 'M00000007', delta: 30 }, 'done']]],
    [SM, [['我拿不准要不要给陈静打老客', 'tag.add', { name: '陈静', tag: '老客' }, 'declined'], ['算了 打吧', 'tag.add', { memberNo: 'M00000007', tag: '老客' }, 'done']]],
  ],
  'one write refused and another asked in the same message, the refusal anywhere': [
    [SM, [['别给周杰加分 给陈静加50分 老客回馈', 'points.adjust', { name: '陈静', delta: 50 }, 'done']]],
    [SM, [['不是要去掉标签 是要打 给王芳打个老客', 'tag.add', { name: '王芳', tag: '老客' }, 'done']]],
    [SM, [['不用给王芳加分 先看下她的订单', 'member.orders', { name: '王芳' }, 'answered']]],
  ],
  'a deferral said as a time and a bare verb right after a preview: 取消': [
    [SM, [['给流失名单打流失风险', 'tag.batch', { tag: '流失风险', list: 'churn' }, 'held'], ['改天再弄吧', 'action.cancel', {}, 'answered']]],
  ],
  'a joke closed by a laugh, then a request of its own': [
    [SM, [['要是发错了我就扣你工资 哈哈 给流失名单发20元券', 'recall.launch', { amount: '20.00' }, 'held']]],
  ],
  'a member asking for points in one clause, the reason after it ("…上次没积上")': [
    ['member:13800000001', [['帮我加200积分 上周消费没算上', 'my.help', {}, 'declined']]],
  ],
  'a member\'s complaint with a threat to take it online or to HQ unless handled (Chinese and English)': [
    ['member:13800000005', [['汤是凉的 再不处理我就发朋友圈', 'handoff', {}, 'done']]],
    ['member:13800000006', [["I'm going to complain about you to head office if nobody sorts out my refund", 'handoff', {}, 'done']]],
  ],
};

describeTurnClasses('turn classes, session 25 (s25-harm)', 'bot_turn_classes_s25_harm', CLASSES);
