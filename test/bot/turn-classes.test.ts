import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * The turn classes of issue 11 §4, each as a small family of dialogues worded differently (new
 * sentences, none from the tuning set), scored the way `npm run eval:intents` scores a dialogue:
 * every turn's intent, labelled slots and outcome class (held / done / other), nothing written by a
 * turn that should not write. A class passes by its mechanism ("the bot asked for X → a reply
 * that parses as X fills it"; "a reply naming only a period / store / amount → the last answer
 * with that slot changed"), not by one sentence.
 */
const SM = 'store_manager_01';
const HQ = 'hq_ops_01';

/**
 * Dialogues still missed, by a reading of the router rather than by the turn handling (the single
 * message is read as another intent): kept as known misses (`it.fails`), so the day they pass the
 * suite says so. "看看跟进记录" is read as a look-up ("tag a member as 老客" passes since session 25's retrain) ("她有没有投诉过" is
 * her tickets since session 21).
 */
const ROUTER_MISSES = new Set(['看看跟进记录']);

const CLASSES: TurnClasses = {
  'slot filling: a bare phone, name, member number, number, tag or pick answers the bot\'s question': [
    [SM, [['给会员加个VIP标签', 'tag.add', { tag: 'VIP' }, 'asked'], ['13800000004', 'tag.add', { phone: '13800000004', tag: 'VIP' }, 'done']]],
    [SM, [['帮我查下订单', 'member.orders', undefined, 'asked'], ['周杰', 'member.orders', { name: '周杰' }, 'answered']]],
    [SM, [['查一下会员等级', 'member.level', undefined, 'asked'], ['M00000006', 'member.level', { memberNo: 'M00000006' }, 'answered']]],
    [SM, [['给陈静打个标签', 'tag.add', { name: '陈静' }, 'asked'], ['爱吃辣', 'tag.add', { name: '陈静', tag: '爱吃辣' }, 'done']]],
    [SM, [['给王芳加点积分', 'points.adjust', { name: '王芳' }, 'asked'], ['150', 'points.adjust', { name: '王芳', delta: 150 }, 'asked'], ['老顾客回馈', 'points.adjust', { name: '王芳', delta: 150 }, 'done']]],
    [SM, [['看看跟进记录', 'member.interactions', undefined, 'asked'], ['手机号13800000012', 'member.interactions', { phone: '13800000012' }, 'answered']]],
    [SM, [['他的工单有哪些', 'member.tickets', undefined, 'asked'], ['是李娜', 'member.tickets', { name: '李娜' }, 'answered']]],
    [SM, [['张伟的等级', 'member.level', { name: '张伟' }, 'asked'], ['要第一个', 'member.level', { memberNo: 'M00000001' }, 'answered']]],
    [SM, [['张伟 跟进记录', 'member.interactions', { name: '张伟' }, 'asked'], ['M00000003', 'member.interactions', { memberNo: 'M00000003' }, 'answered']]],
    [SM, [['tag a member as 老客', 'tag.add', { tag: '老客' }, 'asked'], ['13800000007', 'tag.add', { phone: '13800000007', tag: '老客' }, 'done']]],
  ],
  'refinements: a reply naming only a period, amount, store, count or export changes the last answer': [
    [SM, [['陈静 最近订单', 'member.orders', { name: '陈静' }, 'answered'], ['近一周的就行', 'member.orders', { memberNo: 'M00000007', days: 7 }, 'answered']]],
    [SM, [['流失预警看一下', 'churn.list', undefined, 'answered'], ['消费满800的', 'churn.list', { minSpend: '800.00' }, 'answered'], ['只留前两个', 'churn.list', { minSpend: '800.00', limit: 2 }, 'answered']]],
    [HQ, [['本月新增会员', 'insights.health', { metric: 'new_members', period: 'this_month' }, 'answered'], ['西湖的', 'insights.health', { metric: 'new_members', period: 'this_month', store: '杭州西湖店' }, 'answered']]],
    [HQ, [['静安 客单价', 'insights.health', { metric: 'aov', store: '上海静安店' }, 'answered'], ['那上周呢', 'insights.health', { metric: 'aov', store: '上海静安店', period: 'last_week' }, 'answered']]],
    [SM, [['家庭客都有哪些人', 'members.query', { tag: '家庭客', mode: 'list' }, 'answered'], ['一共多少个', 'members.query', { tag: '家庭客', mode: 'count' }, 'answered']]],
    [SM, [['4级会员有几位', 'members.query', { level: 4, mode: 'count' }, 'answered'], ['名单给我', 'members.query', { level: 4, mode: 'list' }, 'answered']]],
    [SM, [['李娜的订单', 'member.orders', { name: '李娜' }, 'answered'], ['半年内的', 'member.orders', { memberNo: 'M00000004', days: 180 }, 'answered']]],
    [SM, [['王芳消费记录', 'member.orders', { name: '王芳' }, 'answered'], ['only the last 60 days', 'member.orders', { memberNo: 'M00000005', days: 60 }, 'answered']]],
  ],
  'pronouns with extra words take the member in focus': [
    [SM, [['13800000004', 'member.lookup', { phone: '13800000004' }, 'answered'], ['那她这三个月在店里都消费了啥呀', 'member.orders', { memberNo: 'M00000004', days: 90 }, 'answered']]],
    [SM, [['查下周杰', 'member.lookup', { name: '周杰' }, 'answered'], ['他现在到底是几级来着', 'member.level', { memberNo: 'M00000012' }, 'answered']]],
    [SM, [['M00000005', 'member.lookup', { memberNo: 'M00000005' }, 'answered'], ['帮我翻一下她以前的工单', 'member.tickets', { memberNo: 'M00000005' }, 'answered']]],
    [SM, [['刘洋 档案', 'member.summary', { name: '刘洋' }, 'answered'], ['顺便给他记一下 今天来电说想办生日宴', 'interaction.log', { memberNo: 'M00000006', channel: 'call' }, 'done']]],
    [HQ, [['look up 13800000008', 'member.lookup', { phone: '13800000008' }, 'answered'], ['and what has he bought recently', 'member.orders', { memberNo: 'M00000008' }, 'answered']]],
  ],
  'a member in focus survives an unrelated question': [
    [SM, [['陈静 档案', 'member.summary', { name: '陈静' }, 'answered'], ['今天有哪些要回访的', 'work.today', { kind: 'followups' }, 'answered'], ['她等级多少', 'member.level', { memberNo: 'M00000007' }, 'answered']]],
    [SM, [['13800000012', 'member.lookup', { phone: '13800000012' }, 'answered'], ['VIP有几个', 'members.query', { tag: 'VIP', mode: 'count' }, 'answered'], ['他的订单呢', 'member.orders', { memberNo: 'M00000012' }, 'answered']]],
    [SM, [['查下王芳', 'member.lookup', { name: '王芳' }, 'answered'], ['谢谢啊', 'smalltalk', undefined, 'answered'], ['她有没有投诉过', 'member.tickets', { memberNo: 'M00000005' }, 'answered']]],
    [SM, [['13800000012', 'member.lookup', { phone: '13800000012' }, 'answered'], ['今天要回访谁', 'work.today', { kind: 'followups' }, 'answered'], ['他的工单呢', 'member.tickets', { memberNo: 'M00000012' }, 'answered']]],
    [HQ, [['M00000008', 'member.lookup', { memberNo: 'M00000008' }, 'answered'], ['上个月复购率', 'insights.health', { metric: 'repurchase_rate', period: 'last_month' }, 'answered'], ['给他打个老客标签', 'tag.add', { memberNo: 'M00000008', tag: '老客' }, 'done']]],
  ],
  'corrections: the same question about the member, store or period meant': [
    [SM, [['查下李娜的等级', 'member.level', { name: '李娜' }, 'answered'], ['搞错了 是陈静', 'member.level', { name: '陈静' }, 'answered']]],
    [SM, [['周杰的订单', 'member.orders', { name: '周杰' }, 'answered'], ['不对不对 我要的是刘洋', 'member.orders', { name: '刘洋' }, 'answered']]],
    [HQ, [['上周流失率', 'insights.health', { metric: 'churn_rate', period: 'last_week' }, 'answered'], ['哦不是 上个月的', 'insights.health', { metric: 'churn_rate', period: 'last_month' }, 'answered']]],
    [HQ, [['look up 13800000002', 'member.lookup', { phone: '13800000002' }, 'answered'], ['sorry, I meant 13800000008', 'member.lookup', { phone: '13800000008' }, 'answered']]],
    [SM, [['VIP的会员有哪些', 'members.query', { tag: 'VIP', mode: 'list' }, 'answered'], ['不是VIP 是高价值', 'members.query', { tag: '高价值', mode: 'list' }, 'answered']]],
  ],
  'refinements said like assent ("前N就行", "…就好"): the last answer narrowed, no confirmation read': [
    [HQ, [['KOC排行榜', 'koc.stats', undefined, 'answered'], ['前两个就行', 'koc.stats', { limit: 2 }, 'answered']]],
    [SM, [['流失预警看一下', 'churn.list', undefined, 'answered'], ['前3个就行了', 'churn.list', { limit: 3 }, 'answered']]],
    [SM, [['4级会员有几位', 'members.query', { level: 4, mode: 'count' }, 'answered'], ['徐汇的就好', 'members.query', { level: 4, mode: 'count', store: '上海徐汇店' }, 'answered']]],
  ],
  'withdrawals mid-flow ("等等 我问下…", "let me think"): a held action or an open question is dropped, never run': [
    [SM, [['给流失会员发20元召回券', 'recall.launch', { amount: '20.00' }, 'held'], ['等等 我先问问老板', 'action.cancel', undefined, 'answered'], ['确认', 'action.confirm', undefined, 'answered']]],
    [SM, [['send 20 yuan recall coupons to the churn list', 'recall.launch', undefined, 'held'], ['hmm, let me check with my boss first', 'action.cancel', undefined, 'answered']]],
    [SM, [['给流失的都打上召回中', 'tag.batch', { tag: '召回中', list: 'churn' }, 'held'], ['嗯…我再想想', 'action.cancel', undefined, 'answered']]],
    [SM, [['给会员打个老客标签', 'tag.add', { tag: '老客' }, 'asked'], ['等一下 我问下店长', 'tag.add', undefined, 'declined']]],
  ],
  'a held action changed in place after a correction lead ("不对 改成…", "不是20 是30")': [
    [SM, [['给流失的都打上召回中', 'tag.batch', { tag: '召回中', list: 'churn' }, 'held'], ['不对 改成VIP', 'tag.batch', { tag: 'VIP', list: 'churn' }, 'held']]],
    [SM, [['给流失会员发20元召回券', 'recall.launch', { amount: '20.00' }, 'held'], ['不是20 是30的', 'recall.launch', { amount: '30.00' }, 'held']]],
  ],
  'slot filling: a dictated note or a reason that reads like a request or a plan of its own': [
    [SM, [['给13800000006记一笔', 'interaction.log', { phone: '13800000006' }, 'asked'], ['来电问包间 下周再联系', 'interaction.log', { phone: '13800000006', channel: 'call', type: 'consultation' }, 'done']]],
    [SM, [['给13800000004加100积分', 'points.adjust', { phone: '13800000004', delta: 100 }, 'asked'], ['投诉补偿积分', 'points.adjust', { phone: '13800000004', delta: 100 }, 'done']]],
  ],
  'segments: a condition of recent spending; the one just made counted and exported': [
    [SM, [['建人群包 近期辣客：有爱吃辣标签 且 最近60天有消费', 'segment.create', undefined, 'done'], ['多少人', 'segment.count', undefined, 'answered'], ['导出', 'segment.export', undefined, 'held']]],
    [SM, [['新建人群包 月活会员：近30天消费过', 'segment.create', undefined, 'done']]],
  ],
  'an ad-hoc count or list states a mode only when the message does': [
    [SM, [['有家庭客标签的会员', 'members.query', { tag: '家庭客' }, 'answered'], ['列出来', 'members.query', { tag: '家庭客', mode: 'list' }, 'answered']]],
  ],
  'slot filling with extra words: an interjection, a trailing 的 or 那个, a measure word, the request restated around the answer': [
    [SM, [['帮我看看订单', 'member.orders', undefined, 'asked'], ['王芳的', 'member.orders', { name: '王芳' }, 'answered']]],
    [SM, [['给她打个VIP', 'tag.add', { tag: 'VIP' }, 'asked'], ['哦 是13800000005', 'tag.add', { phone: '13800000005', tag: 'VIP' }, 'done']]],
    [SM, [['给王芳打标签', 'tag.add', { name: '王芳' }, 'asked'], ['贴个家庭客', 'tag.add', { name: '王芳', tag: '家庭客' }, 'done']]],
    [SM, [['查一下张伟', 'member.lookup', { name: '张伟' }, 'asked'], ['M00000003那个', 'member.lookup', { memberNo: 'M00000003' }, 'answered']]],
    [SM, [['给会员打个VIP标签', 'tag.add', { tag: 'VIP' }, 'asked'], ['给13800000007打老客标签', 'tag.add', { phone: '13800000007', tag: '老客' }, 'done']]],
  ],
  'mid-flow changes: a note put off writes nothing, a correction answers the question, 改成… changes what is held, 他们 after a list is the batch': [
    [SM, [['给13800000006建个工单', 'ticket.create', { phone: '13800000006' }, 'asked'], ['等一会再说 客人还在讲', 'ticket.create', undefined, 'declined']]],
    [SM, [['帮我给她记一下 来电问包间', 'interaction.log', undefined, 'asked'], ['不对 不是她 是13800000006', 'interaction.log', undefined, 'done']]],
    [SM, [['给流失预警名单都打个召回中', 'tag.batch', { list: 'churn', tag: '召回中' }, 'held'], ['改成流失风险', 'tag.batch', { list: 'churn', tag: '流失风险' }, 'held']]],
    [SM, [['13800000004 扣200积分 兑换礼品', 'points.adjust', { phone: '13800000004', delta: -200 }, 'held'], ['改成80', 'points.adjust', { phone: '13800000004', delta: -80 }, 'held']]],
    [SM, [['本店流失名单', 'churn.list', undefined, 'answered'], ['给他们都打上VIP', 'tag.batch', { list: 'churn', tag: 'VIP' }, 'held'], ['嗯', 'action.confirm', undefined, 'done']]],
  ],
  'a write named but not asked for in words, refused, supposed, relayed or weighed: that write declined or answered, never a plain read (session 13)': [
    [SM, [['do not deduct points from 13800000006', 'points.adjust', undefined, 'declined']]],
    [SM, [['I am not exporting the 辣妹子 segment', 'segment.export', undefined, 'declined']]],
    [SM, [['should we label 刘洋 as 家庭客?', 'tag.add', undefined, 'answered']]],
    [SM, [['the manager said recall the churned members', 'recall.launch', undefined, 'declined']]],
    [SM, [['给13800000006开个工单', 'ticket.create', { phone: '13800000006' }, 'asked'], ['会员卡积分对不上', 'ticket.create', { phone: '13800000006' }, 'done']]],
    // Content read as a read that names nobody (session 20: the classifier learns the tuning lines, 积分/等级 lines are look-ups).
    [SM, [['帮13800000009开个工单', 'ticket.create', { phone: '13800000009' }, 'asked'], ['卡上的等级跟小程序上的不一样', 'ticket.create', { phone: '13800000009' }, 'done']]],
  ],
  'vague assent with nothing held: a short acknowledgement (small talk), never help, never a write; to an open question, the question again (session 13)': [
    [SM, [['流失预警看一下', 'churn.list', undefined, 'answered'], ['ok', 'smalltalk', undefined, 'answered']]],
    [SM, [['好滴', 'smalltalk', undefined, 'answered']]],
    [SM, [['给流失会员发20元召回券', 'recall.launch', { amount: '20.00' }, 'held'], ['取消', 'action.cancel', undefined, 'declined'], ['嗯', 'smalltalk', undefined, 'answered']]],
    [SM, [['给会员加个VIP标签', 'tag.add', { tag: 'VIP' }, 'asked'], ['好的', 'tag.add', undefined, 'asked'], ['13800000004', 'tag.add', { phone: '13800000004', tag: 'VIP' }, 'done']]],
  ],
  'session 15: a question about the action itself is answered by its read — the held action first, else the last write': [
    [SM, [['给流失的会员发个20元的召回券', 'recall.launch', undefined, 'held'], ['券发了吗', 'recall.status', undefined, 'answered'], ['取消', 'action.cancel', undefined, 'declined']]],
    [SM, [['recall the churned members with a 15 yuan coupon', 'recall.launch', undefined, 'held'], ['has it been sent?', 'recall.status', undefined, 'answered'], ['cancel', 'action.cancel', undefined, 'declined']]],
    [SM, [['给13800000012建个工单 包间灯坏了', 'ticket.create', undefined, 'done'], ['建好了吗', 'member.tickets', { phone: '13800000012' }, 'answered']]],
  ],
  'session 15 (session 21: the blind brief\'s 取消): a withdrawal of what is held, naming it or not, is 取消; assent after it, small talk': [
    [SM, [['给流失名单都打上老客', 'tag.batch', undefined, 'held'], ['先不打了', 'action.cancel', undefined, 'declined'], ['好的', 'smalltalk', undefined, 'answered']]],
    [SM, [['给流失会员发召回券 25的', 'recall.launch', undefined, 'held'], ['hmm, not sending that today', 'action.cancel', undefined, 'declined'], ['ok', 'smalltalk', undefined, 'answered']]],
    [SM, [['给流失会员发30块召回券', 'recall.launch', undefined, 'held'], ['我再琢磨一下', 'action.cancel', undefined, 'declined'], ['嗯嗯', 'smalltalk', undefined, 'answered']]],
  ],
  'session 15: the people just listed, however pointed at ("这几个人", "都", "everyone")': [
    [SM, [['流失预警名单', 'churn.list', undefined, 'answered'], ['这几位全部打上召回中', 'tag.batch', { tag: '召回中', list: 'churn' }, 'held']]],
    [SM, [['流失预警名单', 'churn.list', undefined, 'answered'], ['都打个老客', 'tag.batch', { tag: '老客', list: 'churn' }, 'held']]],
  ],
  'session 15: a change ("换成…") of the last answer, whatever the router made of the new word': [
    [SM, [['有家庭客标签的会员都有谁', 'members.query', { tag: '家庭客', mode: 'list' }, 'answered'], ['换成爱吃辣', 'members.query', { tag: '爱吃辣', mode: 'list' }, 'answered']]],
  ],
  'session 15: a write named but not asked for, by its object or a verb the router misread': [
    [SM, [['客人说想要张优惠券', 'recall.launch', undefined, 'declined']]],
    [SM, [['要是把流失的人都标为老客会怎样', 'tag.batch', undefined, 'declined']]],
  ],
  'session 15: a member naming a ticket or complaint while claiming, refusing or asking': [
    ['member:13800000007', [['我是店长 帮我建个工单', 'handoff', undefined, 'declined']]],
    ['member:13800000007', [['投诉要怎么弄', 'handoff', undefined, 'answered']]],
    ['member:13800000007', [['我是店员 帮我查下13800000004的积分', 'my.points', undefined, 'declined'], ['那看我自己的', 'my.points', undefined, 'answered']]],
  ],
  'session 15 follow-ups: a refinement adding a filter or a figure keeps the earlier slots of the last answer': [
    [HQ, [['retention this month', 'insights.health', { metric: 'retention', period: 'this_month' }, 'answered'], ['and the repeat rate', 'insights.health', { metric: 'repurchase_rate', period: 'this_month' }, 'answered']]],
    [SM, [['流失率', 'insights.health', { metric: 'churn_rate' }, 'answered'], ['8月的', 'insights.health', { metric: 'churn_rate', month: 8 }, 'answered']]],
    [SM, [['who is about to churn', 'churn.list', undefined, 'answered'], ['only ones who spent over 700', 'churn.list', { minSpend: '700.00' }, 'answered'], ['top 2', 'churn.list', { minSpend: '700.00', limit: 2 }, 'answered']]],
  ],
  'session 15 follow-ups: another of the members picked from, asked the same question whatever the router made of the ordinal': [
    [SM, [['张伟的跟进记录', 'member.interactions', { name: '张伟' }, 'asked'], ['第2个', 'member.interactions', { memberNo: 'M00000003' }, 'answered'], ['and the first one?', 'member.interactions', { memberNo: 'M00000001' }, 'answered']]],
  ],
  'session 15 follow-ups: "也给…", "same for …", "… too" after a write about a member is that write for the one named': [
    [SM, [['给周杰打个爱吃辣', 'tag.add', { name: '周杰', tag: '爱吃辣' }, 'done'], ['也给刘洋打一个', 'tag.add', { name: '刘洋', tag: '爱吃辣' }, 'done']]],
    [SM, [['tag 13800000005 as 商务宴请', 'tag.add', { phone: '13800000005', tag: '商务宴请' }, 'done'], ['same for 13800000012', 'tag.add', { phone: '13800000012', tag: '商务宴请' }, 'done']]],
    [SM, [['不用给王芳打VIP', 'tag.add', undefined, 'declined'], ['陈静也一样', 'member.summary', undefined, 'answered']]],
  ],
  'session 15 follow-ups: a held points change keeps its reason when its amount changes': [
    [SM, [['13800000006 扣60分 换咖啡', 'points.adjust', { phone: '13800000006', delta: -60 }, 'held'], ['改成扣20', 'points.adjust', { phone: '13800000006', delta: -20 }, 'held']]],
    [SM, [['deduct 70 points from 13800000004 for a dessert', 'points.adjust', { phone: '13800000004', delta: -70 }, 'held'], ['make it 45', 'points.adjust', { phone: '13800000004', delta: -45 }, 'held']]],
  ],
  'session 17: the answer to the bot\'s question in another shape (a titled surname, four digits, a store, a pointer, the member with the next details)': [
    [SM, [['帮我看看等级', 'member.level', undefined, 'asked'], ['李总', 'member.level', { name: '李' }, 'answered']]],
    [SM, [['张伟的跟进记录', 'member.interactions', { name: '张伟' }, 'asked'], ['0001的', 'member.interactions', { memberNo: 'M00000001' }, 'answered']]],
    [HQ, [['张伟 等级', 'member.level', { name: '张伟' }, 'asked'], ['静安店那位', 'member.level', { memberNo: 'M00000002' }, 'answered']]],
    // A turn in between: a write right after the answer about 刘洋 goes on with him (session 19), so the pointer answer is asked for later.
    [SM, [['查下刘洋', 'member.lookup', { name: '刘洋' }, 'answered'], ['流失名单', 'churn.list', undefined, 'answered'], ['标个老客', 'tag.add', { tag: '老客' }, 'asked'], ['就他吧', 'tag.add', { memberNo: 'M00000006', tag: '老客' }, 'done']]],
    [SM, [['贴个标签', 'tag.add', undefined, 'asked'], ['李娜 家庭客', 'tag.add', { name: '李娜', tag: '家庭客' }, 'done']]],
  ],
  'session 17: assent or a refusal said to the bot\'s question answers nothing and does nothing': [
    [SM, [['给张伟补50分 生日', 'points.adjust', { name: '张伟', delta: 50 }, 'asked'], ['好的', 'points.adjust', undefined, 'asked']]],
    [SM, [['帮我给李娜记一笔', 'interaction.log', { name: '李娜' }, 'asked'], ['嗯', 'interaction.log', undefined, 'asked']]],
    [SM, [['给陈静扣点积分', 'points.adjust', { name: '陈静' }, 'asked'], ['那还是别扣了', 'points.adjust', undefined, 'declined']]],
  ],
  'session 19: a write right after an answer about a member goes on with them; a refinement keeps what it does not change; a remark is no cancel': [
    [SM, [['13800000006 的订单', 'member.orders', { phone: '13800000006' }, 'answered'], ['补50积分 原因老客回馈', 'points.adjust', { memberNo: 'M00000006', delta: 50 }, 'done']]],
    [SM, [['陈静的跟进记录', 'member.interactions', { name: '陈静' }, 'answered'], ['记一下 微信问了年夜饭的菜单', 'interaction.log', { memberNo: 'M00000007', channel: 'wechat', type: 'consultation' }, 'done']]],
    // Not the very next turn: asked, as before.
    [SM, [['查下周杰', 'member.lookup', { name: '周杰' }, 'answered'], ['流失名单', 'churn.list', undefined, 'answered'], ['加个老客', 'tag.add', { tag: '老客' }, 'asked']]],
    // Negated right after: nothing written.
    [SM, [['查下周杰', 'member.lookup', { name: '周杰' }, 'answered'], ['先别给加积分', 'points.adjust', undefined, 'declined']]],
    [SM, [['流失名单', 'churn.list', undefined, 'answered'], ['只要前3个', 'churn.list', { limit: 3 }, 'answered'], ['再加个条件 消费800以上', 'churn.list', { limit: 3, minSpend: '800.00' }, 'answered']]],
    [SM, [['给刘洋打标签 老客', 'tag.add', { name: '刘洋', tag: '老客' }, 'done'], ['不对 改成家庭客', 'tag.add', { memberNo: 'M00000006', tag: '家庭客' }, 'done']]],
    [SM, [['13800000006', 'member.lookup', { phone: '13800000006' }, 'answered'], ['哦 那是徐汇的 算了', 'smalltalk', undefined, 'answered']]],
  ],
  'dictated content: a question the customer asked, reported, is the note asked for; English "one" is no member\'s name': [
    [SM, [['给周杰记一下', 'interaction.log', { name: '周杰' }, 'asked'], ['他打电话来问下周六还有没有空位', 'interaction.log', undefined, 'done']]],
    [SM, [['给王芳记一下', 'interaction.log', { name: '王芳' }, 'asked'], ['她微信上问儿童套餐还有没有', 'interaction.log', undefined, 'done']]],
    [SM, [['lookup 13800000012', 'member.lookup', { phone: '13800000012' }, 'answered'], ["this one's level?", 'member.level', { memberNo: 'M00000012' }, 'answered']]],
    [SM, [['lookup 13800000012', 'member.lookup', { phone: '13800000012' }, 'answered'], ['open one: the chair in room 3 is broken', 'ticket.create', undefined, 'done']]],
  ],
  'session 21: an answer corrected as given, a mind changed after 算了/还是, the write just made for the member meant, filters kept, her ticket, a member going on': [
    [SM, [['给王芳打个标签', 'tag.add', { name: '王芳' }, 'asked'], ['VIP 不对 是老客', 'tag.add', { name: '王芳', tag: '老客' }, 'done']]],
    [SM, [['给刘洋加200分', 'points.adjust', { name: '刘洋', delta: 200 }, 'asked'], ['算了 还是加50吧 生日福利', 'points.adjust', { name: '刘洋', delta: 50 }, 'done']]],
    [SM, [['给流失会员发个30元券', 'recall.launch', { amount: '30.00' }, 'held'], ['还是15吧', 'recall.launch', { amount: '15.00' }, 'held'], ['取消', 'action.cancel', {}, 'declined']]],
    [SM, [['给陈静加个爱吃辣', 'tag.add', { name: '陈静', tag: '爱吃辣' }, 'done'], ['弄错了 是刘洋', 'tag.add', { name: '刘洋', tag: '爱吃辣' }, 'done']]],
    [SM, [['哪些会员是3级', 'members.query', { mode: 'list', level: 3 }, 'answered'], ['只看有老客标签的', 'members.query', { mode: 'list', level: 3, tag: '老客' }, 'answered']]],
    [SM, [['家庭客多少人', 'members.query', { mode: 'count', tag: '家庭客' }, 'answered'], ['列一下姓名', 'members.query', { mode: 'list', tag: '家庭客' }, 'answered']]],
    ['agent_01', [['查下李娜的工单', 'member.tickets', { name: '李娜' }, 'answered'], ['她储值卡那个工单改成处理中吧', 'ticket.update', { ticketNo: 'T20261121000002', status: 'in_progress' }, 'done']]],
    ['agent_01', [['给张伟开个工单', 'ticket.create', { name: '张伟' }, 'asked'], ['M00000002', 'ticket.create', { memberNo: 'M00000002' }, 'asked']]],
    ['member:13800000005', [['我几级了', 'my.level', {}, 'answered'], ['那还能升吗', 'my.level', {}, 'answered']]],
    ['member:13800000006', [['退订营销短信', 'unsubscribe', {}, 'done'], ['嗯嗯好的', 'my.smalltalk', {}, 'answered']]],
    ['member:13800000005', [['看看我的订单', 'my.orders', {}, 'answered'], ['最近一单就行', 'my.orders', { limit: 1 }, 'answered']]],
  ],
  'session 23: the segment just made or counted, a ticket number answering an update, a held write changed in other words, "tag" + a member': [
    ['marketer_01', [['新建人群包 周末辣味客：有爱吃辣标签', 'segment.create', undefined, 'done'], ['how many people are in it', 'segment.count', undefined, 'answered'], ['拉个表格给我', 'segment.export', undefined, 'held'], ['确认', 'action.confirm', undefined, 'done']]],
    ['agent_01', [['把工单升级一下', 'ticket.update', { escalate: true }, 'asked'], ['T20261121000003', 'ticket.update', { ticketNo: 'T20261121000003', escalate: true }, 'done']]],
    [SM, [['流失名单都打上老客', 'tag.batch', { list: 'churn', tag: '老客' }, 'held'], ['hold on, make it 家庭客', 'tag.batch', { list: 'churn', tag: '家庭客' }, 'held'], ['取消', 'action.cancel', {}, 'declined']]],
    [SM, [['13800000006 扣80分 兑换饮品', 'points.adjust', { phone: '13800000006', delta: -80 }, 'held'], ['扣多了 扣40', 'points.adjust', { phone: '13800000006', delta: -40 }, 'held'], ['取消', 'action.cancel', {}, 'declined']]],
    [SM, [['tag 刘洋', 'tag.add', { name: '刘洋' }, 'asked'], ['商务宴请', 'tag.add', { name: '刘洋', tag: '商务宴请' }, 'done']]],
    // A store-wide read pointed at the member in focus: that member's own records (IntentDef.aboutOneMember).
    [SM, [['查下周杰', 'member.lookup', { name: '周杰' }, 'answered'], ['他那边有没有快超时的单子', 'member.tickets', { memberNo: 'M00000012' }, 'answered']]],
    [SM, [['13800000004', 'member.lookup', { phone: '13800000004' }, 'answered'], ['她有没有要回访的', 'member.interactions', { memberNo: 'M00000004' }, 'answered']]],
  ],
  'English follow-ups': [
    [SM, [['show me 13800000005', 'member.lookup', { phone: '13800000005' }, 'answered'], ['what level is she', 'member.level', { memberNo: 'M00000005' }, 'answered'], ['and her tickets?', 'member.tickets', { memberNo: 'M00000005' }, 'answered']]],
    [SM, [['how many VIP members do we have', 'members.query', { tag: 'VIP', mode: 'count' }, 'answered'], ['list them', 'members.query', { tag: 'VIP', mode: 'list' }, 'answered']]],
    [HQ, [['repurchase rate last month', 'insights.health', { metric: 'repurchase_rate', period: 'last_month' }, 'answered'], ['what about retention', 'insights.health', { metric: 'retention', period: 'last_month' }, 'answered']]],
    [SM, [['churn list', 'churn.list', undefined, 'answered'], ['just the top 3', 'churn.list', { limit: 3 }, 'answered']]],
  ],
};

describeTurnClasses('turn classes (issue 11 §4)', 'bot_turn_classes', CLASSES, { knownMisses: ROUTER_MISSES });
