import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 25, the router's classes (tuning's residual misses, s25a/s25b singles, the classes the lead named), each in
 * new wordings of our own (none from test/intents/s25a or s25b): the mechanism, not the sentence.
 */
const SM = 'store_manager_01';
const MK = 'marketer_01';

const CLASSES: TurnClasses = {
  'a recall asked for one member by name: a recall goes to the churn list, so nothing is previewed or held': [
    [SM, [['给吴敏发张召回券', 'recall.launch', undefined, 'declined']]],
    [MK, [['recall 刘洋 with a 30 coupon', 'recall.launch', { amount: '30.00' }, 'declined']]],
    // … while the list itself is still previewed and held.
    [MK, [['给流失会员发召回券 25的', 'recall.launch', { amount: '25.00' }, 'held']]],
  ],
  'the dashboard asked by another word for its metric (保留率, 流失比例, 人均消费)': [
    ['hq_ops_01', [['保留率 上个月', 'insights.health', { metric: 'retention' }, 'answered']]],
    ['hq_ops_01', [['人均消费怎么样', 'insights.health', { metric: 'aov' }, 'answered']]],
  ],
  'a reason or occasion said after the figure is no member ("80 首单奖励")': [
    [SM, [['给刘洋加分', 'points.adjust', { name: '刘洋' }, 'asked'], ['80 首单奖励', 'points.adjust', { name: '刘洋', delta: 80 }, 'done']]],
  ],
  'the recall just sent, stopped by pointing at it ("停掉刚才发的那个")': [
    [MK, [['给流失名单发个20块的召回券', 'recall.launch', { amount: '20.00' }, 'held'], ['确认', 'action.confirm', undefined, 'done'], ['停掉刚才那个', 'recall.stop', undefined, 'held']]],
  ],
  'whether a complaint was followed up asks for the records, never logs one': [
    [SM, [['李娜', 'member.lookup', { name: '李娜' }, 'answered'], ['她那个说上菜慢的投诉后来有人跟进吗', 'member.interactions', undefined, 'answered']]],
  ],
  'a note asked for in English before its content ("add a note for …")': [
    ['agent_01', [['add a note for 吴敏', 'interaction.log', { name: '吴敏' }, 'asked']]],
  ],
  'a member visited inside a run is the member the note is for ("上门看望了X…")': [
    [SM, [['刚上门看望了刘洋 聊了下年夜饭 帮我记一下', 'interaction.log', { name: '刘洋', channel: 'visit' }, 'done']]],
  ],
};

describeTurnClasses('turn classes, session 25 (router)', 'bot_turn_classes_s25_router', CLASSES);
