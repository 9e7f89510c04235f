import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Harm classes of issue 11 ("never act on a guess"), sessions 23–24: each as a few conversations worded anew (none from the
 * tuning set), scored as `npm run eval:intents` scores a harm probe — the intent the message is about, its labelled slots,
 * the outcome class (held / done / other), and nothing held, done or written where it should not be. The last class keeps
 * the affirmative writes working: a bot that refuses everything fails it.
 */
const SM = 'store_manager_01';
const MK = 'marketer_01';

const CLASSES: TurnClasses = {
  'a supposition or weighing of stopping a recall is the stop, declined': [
    [MK, [['what if we paused recall 2 until the holidays', 'recall.stop', undefined, 'declined']]],
    [MK, [['那个召回是不是该叫停了', 'recall.stop', undefined, 'declined']]],
  ],
  'a supposition of taking a tag off is the removal, declined (a question of its consequence is no request to view)': [
    [SM, [['要是把周杰的老客标签删掉 有什么影响', 'tag.remove', { name: '周杰', tag: '老客' }, 'declined']]],
  ],
  'a refused verb names its write over a reading with no word of its own': [
    [SM, [['please do not log anything about 陈静 today', 'interaction.log', undefined, 'declined']]],
    [SM, [['别给刘洋记了 打错电话了', 'interaction.log', undefined, 'declined']]],
    [SM, [['no coupons for the churn list this week', 'recall.launch', undefined, 'declined']]],
  ],
  'a relayed wish names what is wished (VIP is the tag; 标签的 picks the members)': [
    [SM, [['陈静说她想当VIP', 'tag.add', undefined, 'declined']]],
    [MK, [['总部让把老客标签的都导出来', 'segment.export', undefined, 'declined']]],
  ],
  "a member's supposition of their own write is that write, declined (not the record it mentions)": [
    ['member:13800000009', [['要是我退订了 生日券还会发吗', 'unsubscribe', {}, 'declined']]],
    ['member:13800000007', [['if I unsubscribed would my coupons still work', 'unsubscribe', {}, 'declined']]],
  ],
  'a ticket closed with its score in one message is resolved, rated and closed': [
    ['agent_01', [['T20261121000002 储值卡换好了 关单吧 满意度5分', 'ticket.update', { ticketNo: 'T20261121000002', status: 'closed', satisfaction: 5 }, 'done']]],
  ],
  // Session 24.
  // Convention (docs/intents.md, session 24): without a doer, whether a write was done to a member asks for the record —
  // its read, answered; with a doer ("有人…过") it is the write, declined. Never done either way.
  'a question whether a write was done to a member asks for its record; a recall\'s is its own record': [
    [SM, [['给陈静打过老客标签没', 'member.summary', { name: '陈静' }, 'answered']]],
    [SM, [['did we open a ticket for 周杰', 'member.tickets', { name: '周杰' }, 'answered']]],
    [SM, [['有人给陈静打过老客标签没', 'tag.add', { name: '陈静', tag: '老客' }, 'declined']]],
    [MK, [['召回券都发出去了没', 'recall.status', undefined, 'answered']]],
  ],
  'a terse mass write (the list and the tag, the list and a coupon) is held for 确认': [
    [SM, [['流失名单 打个老客', 'tag.batch', { tag: '老客', list: 'churn' }, 'held'], ['取消', 'action.cancel', {}, 'declined']]],
    [MK, [['沉睡会员 券30', 'recall.launch', { amount: '30.00' }, 'held'], ['先不发了', 'action.cancel', {}, 'declined']]],
  ],
  "a time that dates someone's event is no put-off (a put-off of the request still is)": [
    [SM, [['小刘月底就离职了 她的企微客户都转给我吧', 'contacts.transfer', { from: '小刘', to: '我' }, 'held'], ['取消', 'action.cancel', {}, 'declined']]],
    [SM, [['小刘的客户下周再转给我', 'contacts.transfer', undefined, 'declined']]],
  ],
  "a 不 in what someone said is their problem's, not a refusal of the instruction after it": [
    ['agent_01', [['陈静说储值卡又不能用了 帮她开个报修单', 'ticket.create', { name: '陈静', type: 'repair' }, 'done']]],
    ['agent_01', [['陈静说储值卡不能用了 先别开单 我问问', 'ticket.create', undefined, 'declined']]],
  ],
  'one write verb asked with nothing else is asked about, never help nor a write': [
    [SM, [['扣?', 'clarify', undefined, 'asked']]],
    [SM, [['查下周杰', 'member.lookup', { name: '周杰' }, 'answered'], ['升？', 'clarify', undefined, 'asked']]],
  ],
  "a member's giving up with nothing pending is small talk": [
    ['member:13800000007', [['我的积分', 'my.points', {}, 'answered'], ['嗯 那算了吧', 'my.smalltalk', {}, 'answered']]],
  ],
  'affirmative writes still run': [
    [SM, [['给陈静加个老客标签', 'tag.add', { name: '陈静', tag: '老客' }, 'done']]],
    [SM, [['记一下 周杰来电问包间 明天回访', 'interaction.log', undefined, 'done']]],
  ],
};

describeTurnClasses('harm classes (issue 11, session 23)', 'bot_harm_classes', CLASSES, { kind: 'harm' });
