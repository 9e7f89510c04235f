import { describeTurnClasses, type TurnClasses } from '../support/turn-classes.ts';

/**
 * Session 26, lead: a segment asked for by conditions alone, or with its conditions in English, is made (named by its
 * conditions when no name was said); a name with nothing the parser reads still asks for the conditions.
 */
const MK = 'marketer_01';

const CLASSES: TurnClasses = {
  'conditions with no name, tags joined by 的, tags and levels in English: the segment is made': [
    [MK, [['建个人群包 家庭客且2级以上', 'segment.create', {}, 'done'], ['有多少人', 'segment.count', {}, 'answered']]],
    [MK, [['新建客群 VIP的老客', 'segment.create', {}, 'done']]],
    [MK, [['create segment spicy regulars: tagged 爱吃辣 and level >= 2', 'segment.create', {}, 'done']]],
  ],
  'a name alone still asks for the conditions': [
    [MK, [['创建人群包 年终感恩名单', 'segment.create', {}, 'answered']]],
  ],
};

describeTurnClasses('turn classes, session 26 (segments by conditions alone)', 'bot_turn_classes_s26_segment', CLASSES);
