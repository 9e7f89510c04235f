/**
 * How one phrasing is typed in different ways: the corpus applies these to every Chinese
 * template expansion (seeded), so the classifier learns the intent, not the typing style.
 */

export { toTraditional } from '../../router/traditional.ts';
import { toTraditional } from '../../router/traditional.ts';

/** Homophones picked from the IME's candidate list instead of the word meant. */
export const IME_TYPOS: [string, string][] = [
  ['流失', '流式'], ['流失', '留失'], ['查一下', '差一下'], ['查一下', '茶一下'], ['查询', '查寻'], ['详情', '详请'], ['档案', '档按'],
  ['积分', '积份'], ['积分', '级分'], ['优惠券', '优惠卷'], ['会员', '会原'], ['标签', '标前'], ['帮助', '帮住'], ['确认', '确人'],
  ['取消', '取销'], ['人工', '人攻'], ['订单', '定单'], ['等级', '等极'], ['退订', '退定'], ['投诉', '投述'], ['工单', '公单'],
  ['记录', '纪录'], ['召回', '招回'], ['健康度', '健康都'], ['导出', '倒出'], ['人群包', '人群保'], ['几个', '几各'],
  ['客单价', '客单架'], ['复购率', '复够率'], ['预警', '预竟'], ['跟进', '根进'], ['回访', '回方'], ['看看', '砍砍'],
  ['哪些', '那些'], ['什么', '神马'], ['怎么样', '咋样'], ['多少', '多小'], ['情况', '请况'], ['消费', '消废'], ['优惠', '有惠'],
  ['在吗', '再吗'], ['的', '滴'], ['已经', '以经'], ['处理', '处里'], ['升级', '生级'], ['报修', '包修'],
  ['几级', '几及'], ['健康', '见康'], ['排行', '排形'], ['积分', '积粉'], ['券', '劵'], ['回访', '回仿'], ['标签', '彪签'], ['等级', '等及'], ['客单价', '客单加'],
];

const FRONT = ['帮我', '麻烦', '那个', '诶', '哎', '亲', '老师', '请', '麻烦帮忙', '快', '急', '你好', '在吗', '嗯', '那啥', '帮忙',
  // A wish relayed from someone else: the request is the same.
  '店长说', '老板让', '经理说', '领导要', '店长交代', '老板说了'];
const BACK = ['呗', '吧', '哈', '呀', '啊', '一下', '谢谢', '急', '～', '!', '?', '。', '看看', '呢', '嘛', '好吗', '可以吗', '哈哈', 'thx'];
const FILLERS = ['那个', '就是', '然后', '嗯', '呃', '就', '那'];
const POLITE = /帮我|麻烦|请|一下|帮忙|能不能|可以吗|好吗|呗|吧|啊|呀|哈|呢|嘛/g;

/**
 * Words staff use for the same thing: a line is typed with one of them in place of the
 * template's, so the model learns the request rather than the template writer's vocabulary.
 */
export const SYNONYMS: [string, readonly string[]][] = [
  ['会员', ['客户', '顾客', '客人', '会员们']],
  ['查一下', ['看下', '瞅瞅', '调一下', '查下', '搜一下']],
  ['看看', ['瞧瞧', '瞅瞅', '看下']],
  ['最近', ['近期', '这阵子', '这段时间']],
  ['帮我', ['给我', '替我', '帮忙']],
  ['怎么样', ['如何', '咋样', '怎样']],
  ['有多少', ['有几个', '多少个', '有多少个']],
  ['订单', ['单子', '消费记录', '账单']],
  ['积分', ['分', '积分值']],
  ['优惠券', ['券', '代金券', '卡券']],
  ['名单', ['名单', '清单']],
  ['一下', ['下', '一哈', '']],
  ['什么', ['啥', '什么样']],
  ['哪些', ['哪几个', '啥']],
];

/** Style names, for the corpus's own bookkeeping (each line records how it was typed). */
export type Style = 'plain' | 'colloquial' | 'terse' | 'voice' | 'typo' | 'traditional' | 'synonym';

/** Grammatical words a terse typist leaves out ("王芳的订单" → "王芳 订单"). */
const TERSE_DROP = /的|了|把|一下|请|帮我|给我|我想|我要|想看|看看|查一下|麻烦/g;

/** Applies one style; `pick` is the corpus's seeded choice. */
export function applyStyle(text: string, style: Style, pick: <T>(xs: readonly T[]) => T): string {
  switch (style) {
    case 'plain':
      return text;
    case 'colloquial': {
      const front = pick([true, false]) ? pick(FRONT) + pick(['', ' ', '，']) : '';
      const back = pick([true, false, false]) ? pick(BACK) : '';
      return `${front}${text}${back}`;
    }
    case 'terse': {
      // Politeness goes; half the time the grammatical words go too, leaving keywords and a space.
      const bare = text.replace(POLITE, '');
      const words = pick([true, false]) ? bare.replace(TERSE_DROP, ' ').replace(/\s+/g, ' ') : bare;
      return words.replace(/[，。！？?!,.\s]+$/u, '').trim() || text;
    }
    case 'synonym': {
      const applicable = SYNONYMS.filter(([from]) => text.includes(from));
      if (!applicable.length) return text;
      const [from, to] = pick(applicable);
      return text.replace(from, pick(to));
    }
    case 'voice': {
      // Speech-to-text: no punctuation, no spaces, a filler word or two, sometimes a 嗯 at the end.
      const bare = text.replace(/[\s，。！？?!,.、：:；;]+/gu, '');
      const chars = [...bare];
      // A filler only between two Han characters (never inside a number or an identifier).
      const gaps = chars.flatMap((c, i) => (i > 0 && /\p{Script=Han}/u.test(c) && /\p{Script=Han}/u.test(chars[i - 1]!) ? [i] : []));
      const withFiller = gaps.length && pick([true, false]) ? (([at]) => [...chars.slice(0, at), pick(FILLERS), ...chars.slice(at)].join(''))([pick(gaps)]) : bare;
      return pick([true, false]) ? `${pick(FILLERS)}${withFiller}` : withFiller;
    }
    case 'typo': {
      const applicable = IME_TYPOS.filter(([from]) => text.includes(from));
      if (!applicable.length) return text;
      const [from, to] = pick(applicable);
      return text.replace(from, to);
    }
    case 'traditional':
      return toTraditional(text);
  }
}

/** English typing: lower case, no final punctuation, a swapped letter pair in a long word. */
export function applyEnglishStyle(text: string, pick: <T>(xs: readonly T[]) => T): string {
  const style = pick(['plain', 'plain', 'lower', 'typo', 'terse', 'keywords'] as const);
  // Keywords only, as typed in a hurry: "orders 13800000001 last month". The words that make a
  // question (what, how many, did, is …) stay: they are what tells "did the coupons go out" (a
  // read) from "send the coupons" (an action), and dropping them taught the model the opposite.
  if (style === 'keywords') return text.replace(/\b(?:please|pls|can|could|would|you|me|the|a|an|of|for|to|i|we|my|our|show|tell|give)\b\s*/gi, '').replace(/\s+/g, ' ').trim() || text;
  if (style === 'lower') return text.toLowerCase().replace(/[?.!]+$/, '');
  if (style === 'terse') return text.replace(/\b(?:please|can you|could you|pls|me|the)\b\s*/gi, '').trim() || text;
  if (style === 'typo') {
    return text.replace(/\b([a-z]{5,})\b/, (w) => {
      const i = 1 + Math.floor(pick([0, 0.3, 0.6]) * (w.length - 3));
      return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    });
  }
  return text;
}

/** How often each style is drawn for a Chinese line (plain most, the rest spread). */
export const STYLE_MIX: readonly Style[] = ['plain', 'plain', 'synonym', 'colloquial', 'colloquial', 'terse', 'terse', 'voice', 'voice', 'typo', 'traditional', 'synonym'];
