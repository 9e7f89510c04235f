import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 24 (the conversation layer): each class in wordings of our own — the mechanism, not the sentence.
 */
const SM = 'store_manager_01';

const CLASSES: TurnClasses = {
  'a held write corrected is previewed again, never run ("改成1000" while 2000 waits)': [
    [SM, [['给周杰加2000分 原因 老客回馈', 'points.adjust', { name: '周杰', delta: 2000 }, 'held'], ['改成1000', 'points.adjust', { name: '周杰', delta: 1000 }, 'held'], ['确认', 'action.confirm', undefined, 'done']]],
    [SM, [['给周杰加2000分 原因 老客回馈', 'points.adjust', { name: '周杰', delta: 2000 }, 'held'], ['不对 改成1500分', 'points.adjust', { name: '周杰', delta: 1500 }, 'held']]],
    [SM, [['给周杰加3000分 原因 老客回馈', 'points.adjust', { name: '周杰', delta: 3000 }, 'held'], ['make it 500', 'points.adjust', { name: '周杰', delta: 500 }, 'held']]],
  ],
  'a go-ahead with its reason, after a weighed write or the reason asked ("行 那就加吧 原因 …")': [
    [SM, [['要是给周杰加300分 她会升级吗', 'points.adjust', { name: '周杰', delta: 300 }, 'declined'], ['行 那就加吧 原因 老客回馈', 'points.adjust', { memberNo: 'M00000012', delta: 300 }, 'done']]],
    [SM, [['给周杰加100分', 'points.adjust', { name: '周杰', delta: 100 }, 'asked'], ['行 那就加吧 原因 老客回馈', 'points.adjust', { name: '周杰', delta: 100 }, 'done']]],
    [SM, [['扣王芳50分', 'points.adjust', { name: '王芳', delta: -50 }, 'asked'], ['好 扣吧 原因是兑换饮品', 'points.adjust', { name: '王芳', delta: -50 }, 'held']]],
  ],
  'the write withdrawn while its reason is asked ("不扣了")': [
    [SM, [['扣王芳50分', 'points.adjust', { name: '王芳', delta: -50 }, 'asked'], ['不扣了', 'points.adjust', undefined, 'declined'], ['确认', 'action.confirm', undefined, 'answered']]],
    [SM, [['给周杰加100分', 'points.adjust', { name: '周杰', delta: 100 }, 'asked'], ['算了 不加了', 'points.adjust', undefined, 'declined']]],
  ],
  'a note whose content is a channel and a follow-up ("记个电话回访 7天后再跟")': [
    [SM, [['查下王芳', 'member.lookup', { name: '王芳' }, 'answered'], ['给她记个电话回访 7天后再跟', 'interaction.log', { memberNo: 'M00000005', channel: 'call', followUpDays: 7 }, 'done']]],
  ],
  'another tag after a refused one is refused too ("别给她打VIP" → "还有召回中")': [
    [SM, [['查下王芳', 'member.lookup', { name: '王芳' }, 'answered'], ['别给她打VIP', 'tag.add', undefined, 'declined'], ['还有召回中', 'tag.add', undefined, 'declined']]],
  ],
  'the member told apart by number while the reason is asked ("13800000003这个 新客首单奖励")': [
    [SM, [['给张伟加300积分', 'points.adjust', { name: '张伟', delta: 300 }, 'asked'], ['13800000003这个 新客首单奖励', 'points.adjust', { phone: '13800000003', delta: 300 }, 'done']]],
    ['agent_01', [['给张伟建个工单', 'ticket.create', { name: '张伟' }, 'asked'], ['M00000003 包间空调不制冷', 'ticket.create', { memberNo: 'M00000003', type: 'repair' }, 'done']]],
  ],
  'a bare verb asked about the member in focus ("加?") asks what': [
    [SM, [['查下周杰', 'member.lookup', { name: '周杰' }, 'answered'], ['加?', 'clarify', undefined, 'asked'], ['1', 'points.adjust', { memberNo: 'M00000012' }, 'asked']]],
    [SM, [['查下周杰', 'member.lookup', { name: '周杰' }, 'answered'], ['加吗', 'clarify', undefined, 'asked']]],
  ],
};

describeTurnClasses('turn classes, session 24 (dialogue)', 'bot_turn_classes_s24d', CLASSES);
