import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 26 (s26a's dialogue and harm misses), each class with new wordings of our own beside the set's:
 * the mechanism, not the sentence.
 */
const SM = 'store_manager_01';
const MK = 'marketer_01';

const CLASSES: TurnClasses = {
  // s26a answered "好的，不转人工" to "储值卡到现在都不能用 你们到底管不管 我要投诉" and "那算了 帮我转人工": the complaint's own
  // negation (不能用, 没人联系) or a question given up (算了) read as a refusal of the hand-off.
  'a member tells a grievance, then asks for a person or complains in the last clause: the hand-off': [
    ['member:13800000004', [['储值卡到现在都不能用 你们到底管不管 我要投诉', 'handoff', {}, 'done']]],
    ['member:13800000012', [['我老婆13800000005的积分也帮我看下', 'my.points', {}, 'declined'], ['那算了 帮我转人工', 'handoff', {}, 'done']]],
    ['member:13800000001', [['上次上菜慢到半小时 到现在也没人联系我 投诉', 'handoff', {}, 'done']]],
    ['member:13800000001', [['外卖送来汤全洒了 打电话也没人接 我要投诉', 'handoff', {}, 'done']]],
    ['member:13800000004', [['我的积分怎么还没到账', 'my.points', {}, 'answered'], ['算了不问了 给我转人工', 'handoff', {}, 'done']]],
    // The refusal stays one: its last clause refuses, or asks nothing.
    ['member:13800000004', [['服务员态度不好 不过算了 不投诉了', 'handoff', {}, 'declined']]],
    ['member:13800000004', [['好吧 不用转人工了', 'handoff', {}, 'declined']]],
    ['member:13800000001', [['我上次的投诉 处理了吗', 'my.tickets', {}, 'answered']]],
  ],
  // s26a: "再加个条件 等级≥3" → member.level, "只要3级以上" → members.query, "导个excel" → no segment found.
  'a condition added to the segment just made or counted (再加个条件 / 只要 / 只圈): the same segment narrowed, then exported': [
    [MK, [['人群包 生日月会员：本月生日', 'segment.create', {}, 'done'], ['再加个条件 等级≥3', 'segment.create', {}, 'done'], ['导出来给我', 'segment.export', {}, 'held'], ['算了 不导了', 'action.cancel', {}, 'answered']]],
    [MK, [['建人群包 徐汇老客 标签老客', 'segment.create', {}, 'done'], ['只要3级以上', 'segment.create', {}, 'done'], ['导个excel', 'segment.export', {}, 'held'], ['好', 'action.confirm', {}, 'done']]],
    [MK, [['新建人群包 宴请常客：标签商务宴请', 'segment.create', {}, 'done'], ['人数', 'segment.count', {}, 'answered'], ['加个条件：最近30天有消费', 'segment.create', {}, 'done'], ['只圈徐汇的', 'segment.create', {}, 'done'], ['现在有几个人', 'segment.count', {}, 'answered']]],
    [MK, [['创建人群包 辣友会：标签爱吃辣', 'segment.create', {}, 'done'], ['那再加个条件 女性', 'segment.create', {}, 'done']]],
  ],
  'the members just counted or listed, saved as a segment under a name said': [
    [MK, [['家庭客标签的会员有几个', 'members.query', { mode: 'count', tag: '家庭客' }, 'answered'], ['西湖店的呢', 'members.query', { mode: 'count', tag: '家庭客', store: '杭州西湖店' }, 'answered'], ['存成人群包吧 名字叫西湖家庭客', 'segment.create', {}, 'done']]],
    [MK, [['爱吃辣的会员列一下', 'members.query', { mode: 'list', tag: '爱吃辣' }, 'answered'], ['只要3级的', 'members.query', { mode: 'list', tag: '爱吃辣', level: 3 }, 'answered'], ['保存为人群包 叫辣党三级', 'segment.create', {}, 'done'], ['有几个人', 'segment.count', {}, 'answered']]],
  ],
  // s26a: "只看回访" after today's follow-ups read as a member's interactions ("哪位会员？"): narrowed to what was shown.
  "today's work narrowed to one kind (只看回访 / 只看工单), also to the kind already shown": [
    [SM, [['今天要跟进啥', 'work.today', { kind: 'followups' }, 'answered'], ['只看回访', 'work.today', { kind: 'followups' }, 'answered']]],
    [SM, [['今天有啥活', 'work.today', {}, 'answered'], ['只看回访', 'work.today', { kind: 'followups' }, 'answered']]],
    ['store_manager_02', [['今天我有什么要跟进的', 'work.today', { kind: 'followups' }, 'answered'], ['只看待回访的', 'work.today', { kind: 'followups' }, 'answered']]],
  ],
  // s26a: "数一下" after a filtered list counted every member of every store.
  'count the list just shown (数一下 / 帮我数数): the same filters, counted': [
    [MK, [['爱吃辣的会员列一下', 'members.query', { mode: 'list', tag: '爱吃辣' }, 'answered'], ['只要徐汇的', 'members.query', { mode: 'list', tag: '爱吃辣', store: '上海徐汇店' }, 'answered'], ['数一下', 'members.query', { mode: 'count', tag: '爱吃辣', store: '上海徐汇店' }, 'answered']]],
    [MK, [['老客标签的会员有哪些', 'members.query', { mode: 'list', tag: '老客' }, 'answered'], ['帮我数数', 'members.query', { mode: 'count', tag: '老客' }, 'answered']]],
  ],
  // s26a: "不对 30就够了" while a 40-yuan recall was held read as nothing understood.
  'a held figure said again with "that will do" (就够了 / 就行), after a correction or a remark: the held action changed': [
    [SM, [['给流失名单的人发召回券 40块', 'recall.launch', { amount: '40.00' }, 'held'], ['不对 30就够了', 'recall.launch', { amount: '30.00' }, 'held'], ['行 发', 'action.confirm', {}, 'done']]],
    [SM, [['给流失会员发召回券 50元', 'recall.launch', { amount: '50.00' }, 'held'], ['太多了 20块就行', 'recall.launch', { amount: '20.00' }, 'held']]],
    [SM, [['给王芳扣200分 兑换礼品', 'points.adjust', { name: '王芳', delta: -200 }, 'held'], ['不对 150就够了', 'points.adjust', { name: '王芳', delta: -150 }, 'held']]],
  ],
  // s26a: "第一名加500积分 年度KOC奖励" after the KOC ranking, "给M00000001加1000积分 KOC年度奖励": a tie with the KOC figures.
  'points given with their figure, a reward naming KOC / 拉新 as the reason; a ranked row given points': [
    [SM, [['本店KOC排行', 'koc.stats', {}, 'answered'], ['前3就行', 'koc.stats', { limit: 3 }, 'answered'], ['第一名加500积分 年度KOC奖励', 'points.adjust', undefined, 'done']]],
    [SM, [['给M00000001加1000积分 KOC年度奖励', 'points.adjust', { memberNo: 'M00000001', delta: 1000 }, 'done'], ['那他的KOC数据给我看下', 'koc.stats', { memberNo: 'M00000001' }, 'answered']]],
    [SM, [['给王芳加300积分 KOC拉新奖励', 'points.adjust', { name: '王芳', delta: 300 }, 'done']]],
    [SM, [['流失名单', 'churn.list', {}, 'answered'], ['给第二个打上流失风险', 'tag.add', { tag: '流失风险', memberNo: 'M00000012' }, 'done']]],
  ],
  // s26a: "王芳也加800 一样的理由" after "给他加800积分 年度感谢" was a choice between her profile and points.
  'the write again for another member, its figure said and its reason said to be the same (一样的理由 / 理由同上)': [
    [SM, [['给M00000001加800积分 年度感谢', 'points.adjust', { memberNo: 'M00000001', delta: 800 }, 'done'], ['王芳也加800 一样的理由', 'points.adjust', { name: '王芳', delta: 800 }, 'done']]],
    [SM, [['给周杰加300积分 老客回馈', 'points.adjust', { name: '周杰', delta: 300 }, 'done'], ['陈静也加200 理由同上', 'points.adjust', { name: '陈静', delta: 200 }, 'done']]],
    // Not told the reason is the same: asked, as before (a repeat never carries the free text by itself).
    [SM, [['给周杰加300积分 老客回馈', 'points.adjust', { name: '周杰', delta: 300 }, 'done'], ['陈静也加一个', 'points.adjust', { name: '陈静', delta: 300 }, 'asked']]],
  ],
  // s26a: "李娜的" after "陈静还有多少积分" → "周杰呢" read as her profile.
  "another member named with 的 alone (李娜的) after a question about a member: the same question about them": [
    [SM, [['陈静还有多少积分', 'member.lookup', { name: '陈静' }, 'answered'], ['周杰呢', 'member.lookup', { name: '周杰' }, 'answered'], ['李娜的', 'member.lookup', { name: '李娜' }, 'answered']]],
    [SM, [['王芳的订单', 'member.orders', { name: '王芳' }, 'answered'], ['周杰的', 'member.orders', { name: '周杰' }, 'answered']]],
    [SM, [['流失名单', 'churn.list', {}, 'answered'], ['徐汇的', 'churn.list', { store: '上海徐汇店' }, 'answered']]],
  ],
  // s26a: "dormant?" after the chain's active members read as the churn list.
  'a metric said alone in English with a question mark after a dashboard: the same dashboard, that metric': [
    ['hq_ops_01', [['active members across the chain', 'insights.health', { metric: 'active_members' }, 'answered'], ['dormant?', 'insights.health', { metric: 'dormant_members' }, 'answered'], ['ok thanks', 'smalltalk', {}, 'answered']]],
    ['hq_ops_01', [['churn rate this month', 'insights.health', { metric: 'churn_rate' }, 'answered'], ['retention?', 'insights.health', { metric: 'retention' }, 'answered'], ['new members?', 'insights.health', { metric: 'new_members' }, 'answered']]],
  ],
};

describeTurnClasses('turn classes, session 26 (s26a)', 'bot_turn_classes_s26a', CLASSES);

/** s26a-h021: "… to store_manager_01 yet" kept "yet" in the party, so the later go-ahead found no such staff member. */
const HARM: TurnClasses = {
  'a transfer refused with "yet" / "for now" after the party, then gone ahead: the same parties, held': [
    ['hq_ops_01', [["don't transfer agent_01's contacts to store_manager_01 yet", 'contacts.transfer', { from: 'agent_01', to: 'store_manager_01' }, 'declined'], ['ok go ahead now', 'contacts.transfer', { from: 'agent_01', to: 'store_manager_01' }, 'held']]],
    ['hq_ops_01', [["don't move agent_01's customers to store_manager_02 for now", 'contacts.transfer', { from: 'agent_01', to: 'store_manager_02' }, 'declined']]],
  ],
  // Beside the row pick for a write and the same-reason repeat: a question or a refusal still writes nothing.
  'a ranked row given points, asked about, refused or not permitted: nothing written': [
    [SM, [['本店KOC排行', 'koc.stats', {}, 'answered'], ['第一名要不要加500积分啊', 'points.adjust', undefined, 'declined']]],
    [SM, [['本店KOC排行', 'koc.stats', {}, 'answered'], ['先别给第一名加分', 'points.adjust', undefined, 'declined']]],
    ['agent_01', [['流失名单', 'churn.list', undefined, 'declined'], ['第一个加200积分 回馈', 'points.adjust', undefined, 'declined']]],
  ],
};

describeTurnClasses('harm classes, session 26 (s26a)', 'bot_harm_classes_s26a', HARM, { kind: 'harm' });
