import { pinyinSyllables } from './homophones.ts';

/**
 * What a member's name looks like, so that words left over in a request ("还有", "要看", "去标",
 * "check", "overdue") are not taken for one. A Chinese name starts with a surname: the common
 * single surnames of the 百家姓 and today's census rankings, less those that are far more often a
 * grammatical or everyday word at the start of a leftover (别, 那, 和, 都, 能, 从, 时, 后, 要 …),
 * and the compound ones. A name typed in Latin letters is written with a capital ("Zhang Wei",
 * "Tony") or in pinyin syllables ("zhang wei").
 */
const SINGLE =
  '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏窦章云苏潘葛奚范彭郎鲁韦昌马苗凤方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常于傅卞齐康伍余卜顾孟黄穆萧肖尹姚邵湛汪祁毛禹狄米贝臧伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季强贾娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万柯昝卢莫房裘缪宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢裴陆荣翁荀羊惠甄曲封芮羿储靳汲邴糜段富巫乌焦巴弓牧隗谷车侯宓蓬郗班秋仲伊宫宁仇栾甘钭厉戎祖武符刘景詹束龙叶司韶郜黎蓟白怀蒲邰鄂索咸籍赖卓蔺屠蒙池乔阴胥苍闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍璩桑桂濮牛寿边扈燕冀郏浦尚农温庄晏柴瞿阎闫慕连茹习宦艾容向易戈廖庾暨耿弘匡文寇禄阙欧沃蔚夔师巩厍聂晁勾敖融冷訾辛阚简饶曾沙鞠丰巢关蒯荆游竺权逯盖桓付覃岳帅佟练揭晋兰栗战谌仝苑邸粟银尉楚路席麦';
const SURNAMES = new Set([...SINGLE]);
const COMPOUND = /^(?:欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|令狐|夏侯|轩辕|端木|独孤|南宫|西门|百里|呼延|澹台|公冶|太史|申屠|闻人|万俟|钟离|宗政|濮阳|淳于|单于|东郭|拓跋)/;

/** A surname starts the text. */
export const startsWithSurname = (text: string): boolean => SURNAMES.has(text[0] ?? '') || COMPOUND.test(text);
/** One character that is a surname on its own ("张 订单": every 张 in scope). */
export const isSurname = (ch: string): boolean => SURNAMES.has(ch);

/**
 * The name in a run of Han characters: the run itself when it starts with a surname, else the
 * two or three characters at its end that do ("别动王芳" → 王芳, "那个刘洋" → 刘洋); undefined when
 * none does ("还有", "快到时间").
 */
export function hanName(run: string): string | undefined {
  const chars = [...run];
  if (chars.length >= 2 && startsWithSurname(run)) return run;
  for (let i = 1; i <= chars.length - 2; i++) {
    const tail = chars.slice(i).join('');
    if (chars.length - i <= 3 && startsWithSurname(tail)) return tail;
  }
  return undefined;
}

/** A word made only of pinyin syllables ("zhang", "zhangwei", "xiaowen"). */
function isPinyin(word: string): boolean {
  const w = word.toLowerCase();
  const ok: boolean[] = [true];
  for (let i = 1; i <= w.length; i++) {
    ok[i] = false;
    for (let j = Math.max(0, i - 6); j < i && !ok[i]; j++) ok[i] = ok[j]! && pinyinSyllables().has(w.slice(j, i));
  }
  return ok[w.length]!;
}

/** A name in Latin letters: capitalised ("Zhang Wei", "Tony") or pinyin ("zhang wei"), not an English word like "check". */
export const latinNameLike = (value: string): boolean => value.split(/\s+/).every((w) => /^[A-Z]/.test(w) || isPinyin(w));
