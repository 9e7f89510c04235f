import type { Rng } from './random.ts';

/**
 * Chinese personal names: a surname drawn by its real-world frequency (the top surnames cover
 * most of the population) and a one- or two-character given name drawn from gendered lists.
 */

// Frequencies are rough shares (%) from the 2020 census rankings; the tail is lumped evenly.
const SURNAMES: readonly [string, number][] = [
  ['王', 7.1], ['李', 7.0], ['张', 6.5], ['刘', 5.3], ['陈', 4.6], ['杨', 3.1], ['黄', 2.6], ['赵', 2.3],
  ['吴', 2.0], ['周', 2.0], ['徐', 1.7], ['孙', 1.5], ['马', 1.5], ['朱', 1.3], ['胡', 1.3], ['郭', 1.2],
  ['何', 1.2], ['林', 1.1], ['高', 1.1], ['罗', 1.0], ['郑', 1.0], ['梁', 0.9], ['谢', 0.8], ['宋', 0.7],
  ['唐', 0.7], ['许', 0.7], ['韩', 0.7], ['冯', 0.7], ['邓', 0.6], ['曹', 0.6], ['彭', 0.6], ['曾', 0.6],
  ['肖', 0.6], ['田', 0.5], ['董', 0.5], ['袁', 0.5], ['潘', 0.5], ['于', 0.5], ['蒋', 0.5], ['蔡', 0.5],
  ['余', 0.5], ['杜', 0.4], ['叶', 0.4], ['程', 0.4], ['苏', 0.4], ['魏', 0.4], ['吕', 0.4], ['丁', 0.4],
  ['任', 0.4], ['沈', 0.4], ['姚', 0.3], ['卢', 0.3], ['姜', 0.3], ['崔', 0.3], ['钟', 0.3], ['谭', 0.3],
  ['陆', 0.3], ['汪', 0.3], ['范', 0.3], ['金', 0.3], ['石', 0.3], ['廖', 0.3], ['贾', 0.3], ['夏', 0.3],
  ['韦', 0.3], ['方', 0.3], ['白', 0.2], ['邹', 0.2], ['孟', 0.2], ['熊', 0.2], ['秦', 0.2], ['邱', 0.2],
  ['江', 0.2], ['尹', 0.2], ['薛', 0.2], ['闫', 0.2], ['段', 0.2], ['雷', 0.2], ['侯', 0.2], ['龙', 0.2],
  ['欧阳', 0.05], ['司马', 0.02], ['上官', 0.02],
];
const SURNAME_LIST = SURNAMES.map(([s]) => s);
const SURNAME_WEIGHTS = SURNAMES.map(([, w]) => w);

const MALE = '伟强磊军勇杰涛斌超明辉鹏华飞刚健俊峰浩宇博文轩然晨阳帆凯东亮志宏毅翔睿泽昊天成'.split('');
const FEMALE = '芳娜敏静丽艳娟霞燕婷雪琳慧颖倩玲洁欣怡佳悦萱琪瑶雯蕾晶梅兰月彤璐楠菲雨曦诗'.split('');
const NEUTRAL = '子思嘉文安晓一清宁可乐心语言逸若诗明'.split('');

export type GenderCode = 'male' | 'female' | 'unknown';

/** A realistic full name; names a fixed demo member owns are never produced for others. */
export function drawName(rng: Rng, gender: GenderCode, reserved: ReadonlySet<string>): string {
  for (;;) {
    const surname = rng.weighted(SURNAME_LIST, SURNAME_WEIGHTS);
    const pool = gender === 'male' ? MALE : gender === 'female' ? FEMALE : NEUTRAL;
    // About a third of people born since the 1980s have one-character given names.
    const given = rng.chance(0.3) ? rng.pick(pool) : rng.pick(rng.chance(0.5) ? NEUTRAL : pool) + rng.pick(pool);
    const name = surname + given;
    if (!reserved.has(name)) return name;
  }
}
