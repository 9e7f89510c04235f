import { isPinyin } from './homophones.ts';

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
/**
 * How staff name a regular by surname and title ("王姐", "李总", "张老师", "陈阿姨", "欧阳经理"):
 * the surname, which the customers module reads as a name prefix (every 王 in scope, then
 * "第几个") — the title is no part of a stored name.
 */
const TITLED = new RegExp(`^(${COMPOUND.source.slice(1)}|[${SINGLE}])(?:老师|阿姨|叔叔|大姐|大哥|姐姐|哥哥|经理|老板|老板娘|先生|女士|小姐|太太|师傅|总监|姐|哥|总|叔|姨)$`);
export function titledSurname(value: string): string | undefined {
  return TITLED.exec(value)?.[1];
}

/** One character that is a surname on its own ("张 订单": every 张 in scope). */
export const isSurname = (ch: string): boolean => SURNAMES.has(ch);

/**
 * What comes right after a name but is never the end of one, so a name glued to it is cut off
 * ("王芳记一下", "潘玲离店时说", "宋佳多加的", "周杰这个月", "给何欢退回"). Single characters only where
 * they practically never end a given name — verbs and particles of a request (记 扣 减 退 这 那 的 …);
 * a character that often does (花 明 华 可 会 …) counts only inside a word (花了, 表扬, 消费 …).
 * Time words, visits and counts ("今天", "离店", "三个月") end a name too.
 */
const FOLLOWER_CHAR = '[记离扣减退换这那的嘅了吗呢吧啊说问要想让被把给对从到在是还跟和与也都就才又再很太剩咱现买来最有没去近已多打贴挂标加拿送领叫找查看该过着订夸不算]';
const HAS_FOLLOWER_CHAR = new RegExp(FOLLOWER_CHAR);
/** Whether a given name holds a verb or particle, so it is no name ("来问"). */
export const hasFollowerChar = (text: string): boolean => HAS_FOLLOWER_CHAR.test(text);
const FOLLOWER = new RegExp(
  '^(?:' +
    [
      FOLLOWER_CHAR,
      '刚(?=[才刚打来说问到买订投反去走微在])',
      // 建 and 老 end a given name often enough ("王建", "李老"), but not before what a request puts there.
      '建(?=[的了个一单工])', '老(?=[带是来在去买点说问])',
      '花了|花过|花费|点了|点过|用了|表扬|投诉|咨询|反映|反馈|消费|充值|办卡|办了|预约|预订|离店|进店|入店|生日|积分|等级|订单|工单|档案|资料|标签',
      // A channel, an ownership or a whole view glued after the name ("李娜微信投诉", "张伟华名下", "陈静全景"),
      // a polite tail ("…给王磊好吗") or the user turning to the bot ("王芳你帮我查下").
      '微信|电话|短信|外卖|名下|全景|全部|好吗|好不好|好嘛|你帮|你给|你看',
      // A place in the restaurant told after the name ("王芳包间的灯坏了").
      '包间|包厢|大厅|座位',
      // The member's card told after the name ("李娜储值卡又刷不了", "王芳会员卡扫不出来", "陈静卡里的钱").
      '储值|会员卡|会员码|卡(?=[里上内又刷])',
      // What was said with the person ("跟李娜聊过", "和王芳沟通了").
      '聊过|聊了|聊天|聊的|沟通|交流|谈过|谈了',
      // A total or a question word right after the name ("王芳累计消费多少", "王芳咋样了", "李娜开过几个单").
      '累计|总共|一共|总计|共计|合计|咋|怎么|怎样|什么|啥|开过|开了',
      // The whole of the person or an order placed, asked right after the name ("陈静整体情况", "王芳下过单吗").
      '整体|情况|近况|下(?=过单|了?单|单)',
      '今天|今年|昨天|前天|前几天|前阵|上周|上次|上回|上个|上月|上上|下周|下次|下个|本周|本月|之前|之后|以前|曾经|平时|每次|一直|经常|总是|当时|这次',
      '[零〇一二两俩三四五六七八九十百千万]+(?:个|天|周|月|年|单|笔|条|次|分|块|元)',
    ].join('|') +
    ')',
);

/**
 * A name glued to what follows it, cut off: a surname (one or two characters) and one or two
 * more, when what follows there is a FOLLOWER. The shorter name is tried first, so "张伟华记一下" keeps
 * 张伟华 (华 follows nothing) and "王芳记一下" gives 王芳. A run with no follower stays whole.
 */
export function cutName(run: string): string {
  const chars = [...run];
  const surname = COMPOUND.test(run) ? 2 : SURNAMES.has(chars[0] ?? '') ? 1 : 0;
  if (!surname) return run;
  for (let len = surname + 1; len <= surname + 2 && len < chars.length; len++) {
    if (FOLLOWER.test(chars.slice(len).join(''))) return chars.slice(0, len).join('');
  }
  return run;
}

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
    // A name found inside words ("上周来过" has no 周来过): its given name holds no verb or particle.
    if (chars.length - i <= 3 && startsWithSurname(tail) && !HAS_FOLLOWER_CHAR.test(tail.slice(1))) return tail;
  }
  return undefined;
}

/**
 * Function words that open a clause (a condition: 万一, 要是 …; or a word starting with a surname character: "单奖励王芳",
 * "于是陈静…", "连周杰都…"): no part of the name after them. Dropped only when a name (or more words) follows.
 */
const LEAD_WORD = /^(?:(?:万一|要是|如果|假如|假设|倘若)(?:要是)?|单独|单(?=[给奖扣加减送补发打贴记]|独)|于是|连(?=[\p{Script=Han}]{2,}[都也])|光(?=[给奖扣加送补发])|向来|常常)/u;
// A refusal or deferral opening the run ("先不给周杰贴", "暂时别把陈静…", "回头再给李娜"): never part of a name.
const HOLD_LEAD = /^(?:先|暂时|暂且|晚点|回头|等会儿?|改天|以后|还是)?(?:不要|不用|不必|别|不|甭|莫|没|勿)?(?:再)?(?:给|把|帮|替|对|将)?/;
export function withoutLeadWord(run: string): string {
  const held = HOLD_LEAD.exec(run)?.[0] ?? '';
  if (held && [...run.slice(held.length)].length >= 2) run = run.slice(held.length);
  const lead = LEAD_WORD.exec(run);
  if (!lead) return run;
  const rest = run.slice(lead[0].length);
  return [...rest].length >= 2 ? rest : run;
}

/** A name in Latin letters: capitalised ("Zhang Wei", "Tony") or pinyin ("zhang wei"), not an English word like "check". */
export const latinNameLike = (value: string): boolean => value.split(/\s+/).every((w) => /^[A-Z]/.test(w) || isPinyin(w));
