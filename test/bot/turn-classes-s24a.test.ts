import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 24 (s24a's dialogue and harm misses), each class in new wordings of our own (none from test/intents/s24a):
 * the mechanism, not the sentence.
 */
const SM = 'store_manager_01';
const MK = 'marketer_01';

const CLASSES: TurnClasses = {
  'a run-on voice message that puts one thing off and asks another now ("…我晚点再看 你先给X…")': [
    [SM, [['健康度那个我等会儿再看你先给王芳打个家庭客的标签', 'tag.add', { name: '王芳', tag: '家庭客' }, 'done']]],
    [SM, [['报表回头再说 先给陈静加50积分 老客回馈', 'points.adjust', { name: '陈静', delta: 50 }, 'done']]],
  ],
  'a question whether a write was made, the member deep in the run ("上次是不是给X打过…")': [
    [SM, [['之前是不是给陈静打过老客的标签', 'tag.add', { name: '陈静', tag: '老客' }, 'declined']]],
  ],
  'a segment said conditions first and named last ("把…的人存成一个人群包 叫X")': [
    [MK, [['把有家庭客标签的人存成一个人群包 叫亲子家庭', 'segment.create', {}, 'done'], ['亲子家庭有多少人', 'segment.count', {}, 'answered']]],
    [MK, [['想存一组人：最近60天没来 名字叫两月沉睡', 'segment.create', {}, 'done']]],
  ],
  'a segment condition written as the word 标签 and the tag ("标签 老客")': [
    [MK, [['新建人群包 老客群：标签 老客', 'segment.create', {}, 'done']]],
  ],
  'points corrected in the reply to the question for a reason ("不对是N 原因 …")': [
    [SM, [['给王芳加300积分', 'points.adjust', { name: '王芳', delta: 300 }, 'asked'], ['不对 是150 原因 生日关怀', 'points.adjust', { name: '王芳', delta: 150 }, 'done']]],
  ],
  'a leaver\'s customers handed over with a time before 走 and 她 for the leaver': [
    [SM, [['小刘年底走 把她手上的企微客户转给王店长', 'contacts.transfer', { from: '小刘', to: '王店长' }, 'held']]],
  ],
  'a refused hand-over: the refusal and its verb are no part of whose customers': [
    ['hq_ops_01', [['先不用转小刘的客户了', 'contacts.transfer', { from: '小刘' }, 'declined']]],
  ],
  'a member\'s complaint with a threat to take it further unless handled ("还不解决我就去消协")': [
    ['member:13800000005', [['上周的汤都是凉的 还不解决我就去消协投诉', 'handoff', {}, 'done']]],
    ['member:13800000005', [['要是哪天菜凉了我就投诉', 'handoff', {}, 'declined']]],
  ],
  'a member asking to stop messages put as a question, or after asking how ("能不能别推了", "ok please stop them")': [
    ['member:13800000006', [['活动短信以后可不可以不要再发了', 'unsubscribe', {}, 'done']]],
    ['member:13800000006', [['how do I stop the promo texts? just asking', 'unsubscribe', {}, 'declined'], ['ok, please stop it', 'unsubscribe', {}, 'done']]],
  ],
  'a count of the people who like what a tag of 爱… names ("喜欢吃辣的")': [
    [MK, [['喜欢吃辣的会员有几个', 'members.query', { mode: 'count', tag: '爱吃辣' }, 'answered']]],
  ],
};

describeTurnClasses('turn classes, session 24 (s24a)', 'bot_turn_classes_s24a', CLASSES);
