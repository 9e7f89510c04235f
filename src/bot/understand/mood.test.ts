import { describe, expect, it } from 'vitest';
import { analyseMood, insteadOf, type Mood } from './mood.ts';

/**
 * do = an affirmative instruction; polite = affirmative, asked politely; the others name the
 * flag that must be set (and the message is then not affirmative).
 */
type Expect = 'do' | 'polite' | 'neg' | 'q' | 'hypo' | 'defer' | 'reported';

const CASES: [string, Expect][] = [
  // session 24: a time that dates someone's event is no put-off; a put-off of the request still is
  ['小张下个月就辞职了 她的客户转给李店长', 'do'],
  ['王店长月底调店 客户先转给我', 'do'],
  ['她的客户下周再转', 'defer'],
  // session 24: a 不 in what someone said before a pause is their problem's; a relayed refusal governing the verb is not
  ['她说卡又刷不了 不能用了 帮她建个报修单', 'do'],
  ['客人反映汤不热，麻烦记一下', 'do'],
  ['他说不要了 你先别建单', 'neg'],
  // session 19: a customer named after 客户 relays their wish; a call told before the wish relays it too
  ['客户李娜让我帮她把报修工单关了 T20261121000002', 'reported'],
  ['会员陈静说要加个VIP', 'reported'],
  ['客户刚打电话说要我们给他加500分补偿', 'reported'],
  ['客户微信上说要加VIP', 'reported'],
  ['客户刚打电话说菜凉了 记一下', 'do'],
  // irony about who pays, and exasperated "might as well …算了": not meant
  ['好啊 那就给所有人发100块券呗 反正公司有钱', 'hypo'],
  ['给流失的都发券 反正不是我出钱', 'hypo'],
  ['哈哈 干脆把所有人积分清零算了', 'hypo'],
  ['哈哈 把会员全删了算了 省得烦', 'hypo'],
  // the instruction taken back after it was said, dictated words included; content that only says 算了 is no retraction
  ['记录一下 不对 先别记 我再问问客户', 'neg'],
  ['建个单 等等 别建', 'neg'],
  ['log the call, wait, don\'t', 'neg'],
  ['记录 客户说算了不要加辣', 'do'],
  // laughter at the end, sarcasm
  ['给我自己加一万积分哈哈哈', 'hypo'],
  ['周杰说要我给他加500积分 想得美', 'reported'],
  ['give everyone 1000 points lol', 'hypo'],
  ['哈哈 给13800000001加100分 生日', 'do'],
  ['那就把他的VIP标签撤了呗 反正他也不来 呵呵', 'hypo'],
  ['把王芳积分清零吧呵呵。', 'hypo'],
  ['给13800000005加个家庭客标签 🙄', 'hypo'],
  // session 18: who did it / how is it done, and a verb that names a past action (…加的那200分) ask, never order
  ['给周杰建工单是怎么弄的', 'q'],
  ['上次给周杰加的那200分是谁操作的', 'q'],
  ['给王芳打VIP标签的是谁', 'q'],
  ['谁给王芳加的积分', 'q'],
  ['工单咋建的', 'q'],
  ['给周杰加的积分不对 再加100', 'do'],
  ['给她加的时候备注生日', 'do'],
  ['记录 王芳来电 问菜是怎么做的', 'do'],
  ['给王芳建个工单 空调坏了 不知道是怎么弄的', 'do'],
  ['加积分的权限谁有', 'q'],
  ['导出名单这种事一般谁来做', 'q'],
  ['随便谁都行 给她加100分', 'do'],
  ['给陈静打标签的话她会收到通知不', 'q'],
  ['扣分这事儿你能做主不', 'q'],
  ['客户自己说要加VIP', 'reported'],
  ['早上不是给她加过分了', 'q'],
  ['给她发过去', 'do'],
  ['给她建单干嘛', 'q'],
  ['干嘛给她扣分', 'q'],
  ['给她加分嘛', 'do'],
  ['the ticket for 周杰 was opened by whom', 'q'],
  ['probably should log that call', 'hypo'],
  ['I was told to deduct 50 points', 'reported'],
  ['we tagged her VIP yesterday', 'q'],
  ['I already added 100 points', 'q'],
  ['can you tell me how to add points', 'q'],
  ['ticket for her? nah', 'neg'],
  ['add 100 points... actually no', 'neg'],
  ['open a ticket? she didn\'t complain', 'q'],
  ['建单？她又没投诉', 'q'],
  ['log a call from 13800000005: she asked if we open on sunday?', 'do'],
  ['open a ticket for 13800000005: she said we already closed it', 'do'],
  // session 16: a wish relayed by the member's or colleague's name, with or without an instruction verb
  ['王芳说她想要个VIP标签', 'reported'],
  ['陈静说要给她加100分', 'reported'],
  ['我就说要给她加100分', 'do'],
  ['给王芳加100分', 'do'],
  // session 15: 这几个 / 那几位 point at people, they ask nothing
  ['这几个人全部加召回中', 'do'],
  ['那几位都打上老客', 'do'],
  ['流失的有几个人', 'q'],
  // session 14: English deferrals to a day, refusals by skipping, questions weighing a write by its end
  ["let's send the recall coupons after the weekend", 'defer'],
  ['hold off on the recall till monday', 'defer'],
  ['close the ticket by friday', 'defer'],
  ['skip the export for now', 'neg'],
  ["forget the recall, we're not doing it", 'neg'],
  ['send the recall coupons to members who came on time', 'do'],
  ['tag 13800000007 VIP? not sure', 'q'],
  ['给王芳打VIP标签 不确定', 'hypo'],
  ['could you tag her VIP? thanks', 'polite'],
  ['记录 13800000001 客人问能不能带宠物？', 'do'],
  // final particles, disclaimers, trailing identifiers, relayed wishes (round 3 of the tuning probes)
  ['先不要发啊', 'neg'],
  ['别扣李娜的分', 'neg'],
  ['我不是要投诉啊 就随便说说', 'neg'],
  ['不是要给陈静记录 我就问问她之前说过啥', 'neg'],
  ['我没要投诉', 'neg'],
  // Session 19 (2): what was never said or asked — 说过, 让你 / 叫你 — and still a question when it asks.
  ['我没说过要给周杰加积分', 'neg'],
  ['我没让你给陈静发券', 'neg'],
  ['没叫你关周杰的工单', 'neg'],
  ['你没让他给周杰加积分吗', 'q'],
  ["I'm not asking you to tag her", 'neg'],
  ['给她打标签了吗 13800000005', 'q'],
  ['就随便问问 给他加积分能加多少', 'q'],
  ['市场部说要把流失名单导出来', 'reported'],
  ['我要投诉', 'do'],
  // plain instructions
  ['给13800000001打VIP标签', 'do'],
  ['给流失名单打标签 流失风险', 'do'],
  ['给本店高风险流失会员发召回券', 'do'],
  ['给 13800000001 加 100 积分 原因 消费奖励', 'do'],
  ['记录 13800000001 来电投诉上菜慢', 'do'],
  // 记一笔 / 记个 take dictated content: a plan inside the note ("明天回访") is not a deferral of the note
  ['给13800000006记一笔 来电问包间 下周再联系', 'do'],
  ['给他记个 电话问生日套餐 明天回访', 'do'],
  ['明天再给他记一笔', 'defer'],
  ['先别给他记一笔', 'neg'],
  ['给 13800000001 建工单 包间空调坏了 紧急', 'do'],
  ['导出人群包 高价值沉睡会员', 'do'],
  ['把他的VIP标签去掉', 'do'],
  ['tag 13800000001 as VIP', 'do'],
  ['recall the churn list with a 20元 coupon', 'do'],
  ['log a call from 13800000001: complained that the dishes came late', 'do'],
  ['open a ticket for 13800000001: refund for a cold dish, high priority', 'do'],
  ['add 200 points to M00000001 for birthday', 'do'],
  ['请给他打个VIP标签', 'do'],
  ['帮我给张伟开工单 会员卡无法使用', 'do'],
  ['please tag him as VIP', 'do'],
  // negation inside the content is not a negation of the instruction
  ['记录13800000001投诉菜不热', 'do'],
  ['给没来过的会员发券', 'do'],
  ['别忘了给他打VIP标签', 'do'],
  ['不满意，给她建个投诉单', 'do'],
  ['记录张伟说不要辣', 'do'],
  ['给不常来的会员发召回券', 'do'],
  ['记录 13800000004 来电说不想再收到短信', 'do'],
  ['给别的会员也打上VIP标签', 'do'],
  ["don't forget to tag him as VIP", 'do'],
  ['log that she did not like the soup for 13800000001', 'do'],
  ['建单：客户说菜里有头发，不要再上这道菜', 'do'],
  ['记录13800000001来电问包间有没有空位', 'do'],
  ['给下个月过生日的会员发券', 'do'],
  ['13800000001 客户说不要再给她发短信了，记录一下', 'do'],
  ['她投诉了，但不用建单', 'neg'],
  ['不满意的客户给他们发补偿券', 'do'],
  ['tag members who never came back as 流失风险', 'do'],
  // polite requests
  ['能帮我给他打个VIP标签吗', 'polite'],
  ['可以帮我建个工单吗', 'polite'],
  ['麻烦给他加100积分好吗', 'polite'],
  ['could you tag him as VIP?', 'polite'],
  ['can you add 100 points to 13800000001?', 'polite'],
  ['能不能给13800000001建个工单', 'polite'],
  ['给他打个VIP标签，可以吗', 'polite'],
  ['would you mind logging a call from 13800000001', 'polite'],
  ['帮我记录一下张伟来电咨询包间吧', 'do'],
  // negations of the instruction
  ['先别群发召回券', 'neg'],
  ['不用建单了', 'neg'],
  ['不要给他打VIP标签', 'neg'],
  ['别给13800000001加积分', 'neg'],
  ['先不要导出人群包', 'neg'],
  ['暂时不发召回券', 'neg'],
  ['没必要给他建工单', 'neg'],
  ['给他打VIP标签就不用了', 'neg'],
  ['召回券先别发', 'neg'],
  ['算了，不给他加积分了', 'neg'],
  ['不给流失会员打标签', 'neg'],
  ['无需给他记录', 'neg'],
  ["don't tag him as VIP", 'neg'],
  ['do not recall the churn list', 'neg'],
  ['could you not close T20261121000002 yet', 'neg'],
  ['投诉到哪步了', 'q'],
  ['我的投诉处理到哪了', 'q'],
  ['please not tag her as VIP', 'neg'],
  ['no need to open a ticket for 13800000001', 'neg'],
  ['never mind the recall', 'neg'],
  ['tag him as VIP, never mind', 'neg'],
  ['不必给他发券', 'neg'],
  ['以后别给我发广告了', 'neg'],
  ['给他打VIP，还是算了', 'neg'],
  // "not" right before the verb (session 13): a statement of what is not done
  ['we are not sending coupons to the churned members', 'neg'],
  ['not deducting points from 13800000004, she already complained', 'neg'],
  ["I'm never going to tag her as VIP", 'neg'],
  ['send coupons to members not visiting since May', 'do'],
  // questions about an action
  ['给他打过VIP了吗', 'q'],
  ['要不要召回一下', 'q'],
  ['召回做得怎么样了', 'q'],
  ['有没有给13800000001建过工单', 'q'],
  ['是否已经给流失会员发了召回券', 'q'],
  ['给他加了多少积分', 'q'],
  ['需要给他建工单吗', 'q'],
  ['要给他打VIP标签吗？', 'q'],
  ['他的工单建了没有', 'q'],
  ['怎么给会员打标签', 'q'],
  ['召回券发了吗', 'q'],
  ['did we tag him as VIP?', 'q'],
  ['how is the recall going', 'q'],
  ['what tags does he have', 'q'],
  ['have we recalled the churn list', 'q'],
  ['whether to send the recall coupons', 'q'],
  ['should I tag him as VIP?', 'q'],
  ['能告诉我给他打过VIP没有吗', 'q'],
  ['is he tagged VIP?', 'q'],
  // hypotheticals
  ['要是给流失的人都打上VIP会怎样', 'hypo'],
  ['如果给流失会员发召回券', 'hypo'],
  ['假如给他加1000积分', 'hypo'],
  ['万一给他建了工单', 'hypo'],
  ['考虑给流失会员发召回券', 'hypo'],
  ['给流失会员都发券的话', 'hypo'],
  ['what if we recall the churn list', 'hypo'],
  ['if we tag the churn list as VIP', 'hypo'],
  ['maybe send recall coupons to the churn list', 'hypo'],
  // "would <doing> … be ok" asks whether the action is acceptable; it does not ask for it
  ['would adding 200 points to 13800000003 for the complaint be ok', 'hypo'],
  ['would tagging the churn list as VIP be fine', 'hypo'],
  ["I'd like to add 200 points to 13800000003 for the complaint", 'do'],
  ['would you add 200 points to 13800000003 for the complaint', 'do'],
  ['我打算给流失会员发召回券', 'hypo'],
  ['我在想要不要给流失的都打个VIP', 'hypo'],
  ['寻思着给他加点积分', 'hypo'],
  // a joke or irony takes the instruction back
  ['sure, tag the whole churn list VIP, what could possibly go wrong', 'hypo'],
  ['recall everyone lol jk', 'hypo'],
  ["delete his points, just kidding", 'hypo'],
  ['给流失的全打上VIP 开玩笑的', 'hypo'],
  ['全部发召回券呗 出了事你负责', 'hypo'],
  ['给他加一万积分 能出什么事', 'hypo'],
  // …but a joke told as content, or a joke word inside the object, is still content
  ['记录一下 顾客说开玩笑的', 'do'],
  // deferrals
  ['等一下再发召回券', 'defer'],
  ['等会给他打VIP标签', 'defer'],
  ['回头给他建个工单', 'defer'],
  // 回头客 is a returning customer, not "later"
  ['嗯 给他加50分 回头客奖励', 'do'],
  ['以后再给流失会员发券', 'defer'],
  ['召回券明天再发', 'defer'],
  ['周一再发召回', 'defer'],
  ['星期五再给她加积分', 'defer'],
  ['15号再发券', 'defer'],
  ['给他打VIP标签的事以后再说', 'defer'],
  ['send the recall later', 'defer'],
  ['tag him as VIP tomorrow', 'defer'],
  // reported speech
  ['店长说要给流失会员发召回券', 'reported'],
  ['老板让给13800000001加1000积分', 'reported'],
  ['他说要给他打VIP标签', 'reported'],
  ['听说要给流失会员发召回券', 'reported'],
  ['my boss said to recall the churn list', 'reported'],
  ['someone said we should tag him as VIP', 'reported'],
  ['经理让我给他建个工单', 'reported'],
  // relayed from HQ or the owner, in traditional characters and with Latin authority words too
  ['總部說要給流失會員發券', 'reported'],
  ['老闆說要把流失名單都打上VIP', 'reported'],
  ['HQ说要给流失的都发券', 'reported'],
  ['boss说给他加500积分', 'reported'],
  ['老板的意思是给他扣100分', 'reported'],
  ['区域经理发话了 给流失的都发个券', 'reported'],
  // a member's wish relayed by name: the words before 说 start with a surname
  ['王芳说想加个VIP', 'reported'],
  ['李娜要求我们帮她加VIP', 'reported'],
  ['周杰那边说想把VIP标签去掉', 'reported'],
  ['陈静 said she wants the VIP tag', 'reported'],
  ['the customer says she wants 100 more points', 'reported'],
  // a member relaying a friend, family or a waiter; "真的假的" asks
  ['我朋友说退订了就没有生日券了 真的假的', 'reported'],
  ['我朋友说回复TD就能退订', 'reported'],
  ['退订了就没有生日券了 真的假的', 'q'],
  // session 21: a colleague or a regular by the familiar form staff use (小/老/阿 + surname, surname + title)
  ['小陈说要给静安发召回券', 'reported'],
  ['老王说给流失的都打上VIP', 'reported'],
  ['小刘让我给她加200分', 'reported'],
  ['王姐让我们给她建个工单', 'reported'],
  ['李总说要把流失名单导出来', 'reported'],
  // …but a 3-character word starting so is no person ("小程序"), nor whose customers are moved
  ['小程序说明里加个VIP标签', 'do'],
  ['小陈的客户转给王店长', 'do'],
  // session 21: how it is done, asked right on a verb of dictated content — no content follows
  ['互动记录怎么写 比如周杰来电咨询要怎么打字', 'q'],
  ['工单要怎么建', 'q'],
  ['登记一下怎么填', 'q'],
  ['log - how do I word it', 'q'],
  // …after a pause the words are dictated
  ['记录 怎么也联系不上 13800000006', 'do'],
  ['记一下 周杰来电问怎么积分', 'do'],
  // …but telling someone, or the ticket someone mentioned, is the user's own instruction
  ['给陈静说一声 加个VIP', 'do'],
  ['张伟说的那个单子关了吧', 'do'],
];

describe('mood analyser', () => {
  it('has a table of at least 80 zh/en cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
  });

  const FLAG: Record<Exclude<Expect, 'do' | 'polite'>, keyof Mood> = { neg: 'negated', q: 'question', hypo: 'hypothetical', defer: 'deferred', reported: 'reported' };
  it.each(CASES)('%s → %s', (text, expected) => {
    const m = analyseMood(text);
    if (expected === 'do' || expected === 'polite') {
      expect(m, JSON.stringify(m.cues)).toMatchObject({ affirmative: true, negated: false, question: false, hypothetical: false, deferred: false, reported: false });
      if (expected === 'polite') expect(m.politeRequest).toBe(true);
    } else {
      expect(m.affirmative, JSON.stringify(m.cues)).toBe(false);
      expect(m[FLAG[expected]], JSON.stringify(m.cues)).toBe(true);
      // A question, a plan or someone else's words is not a "no" ("要不要召回一下" asks).
      if (expected !== 'neg' && !/先别|先不/.test(text)) expect(m.negated, JSON.stringify(m.cues)).toBe(false);
    }
  });
});

describe('A-not-A questions', () => {
  it('reads any X不X / X没X as a question, never an instruction ("周杰的老客标签还在不在" once removed the tag)', () => {
    for (const s of ['周杰的老客标签还在不在', '她的VIP打没打', '积分加不加', '给流失的发不发券']) {
      const m = analyseMood(s);
      expect(m.question, s).toBe(true);
      expect(m.affirmative, s).toBe(false);
    }
  });
  it('leaves plain instructions affirmative', () => {
    for (const s of ['给周杰去掉老客标签', '给她加100分 生日']) expect(analyseMood(s).affirmative, s).toBe(true);
  });
});

describe('a member\'s words relayed to be handled (session 18)', () => {
  it('marks a relay by a member or customer followed by the staff member\'s own service request, still reported by itself', () => {
    for (const text of ['刘洋说汤是凉的 你跟进一下', '客人说包间空调不制冷，麻烦处理下', 'the customer said the soup was cold, pls follow up']) {
      const m = analyseMood(text);
      expect([text, m.relayedForService, m.reported]).toEqual([text, true, true]);
    }
  });
  it('never for a relayed instruction of a manager or HQ, a pronoun\'s wish, or a request with no pause', () => {
    for (const text of ['店长说刘洋的投诉 跟进一下', '总部说 这个单子处理下', '她说要给她记一下', '刘洋说要记录一下', '刘洋说不用跟进了']) {
      expect([text, analyseMood(text).relayedForService]).toEqual([text, false]);
    }
  });
});

describe('one action refused, another asked instead (session 19)', () => {
  it('reads the mood of what is asked and keeps the refused clause', () => {
    for (const [text, refused] of [
      ['不用建工单 就记一下 13800000006 来电咨询', '不用建工单'],
      ['别发券了，只给她打个VIP标签', '别发券了'],
      ["don't open a ticket, just log the call from 13800000006", "don't open a ticket"],
    ] as const) {
      const m = analyseMood(text);
      expect([text, m.affirmative, m.refused]).toEqual([text, true, refused]);
    }
  });
  it('is no such reading when nothing with a verb is asked after the refusal, or what is asked is itself not an order', () => {
    for (const text of ['不用了 就这样吧', '先别发 我再想想']) expect([text, analyseMood(text).negated]).toEqual([text, true]);
    // A look asked instead of a refused write: nothing to decline in what is asked.
    expect(analyseMood('别发券 先看看流失名单')).toMatchObject({ negated: false, refused: '别发券' });
    expect(analyseMood('不用建单 就问问').affirmative).toBe(false);
  });
});

describe('records named by a relative verb (session 19)', () => {
  it('reads "登记的那些记录呢" as asking about records, never as an order to log one (blind v1 h74 logged the question as a note)', () => {
    for (const text of ['登记的那些记录呢', '她登记过的记录给我看看', '刚才登记的那条记录呢']) {
      const m = analyseMood(text);
      expect(m.affirmative, text).toBe(false);
    }
  });
  it('still takes a second instruction after a relative verb, and plain logging orders', () => {
    expect(analyseMood('记录的不对 再记录一条 来电咨询').affirmative).toBe(true);
    expect(analyseMood('给周杰记录一下 来电投诉 上菜慢').affirmative).toBe(true);
  });
});

describe('session 20: 算了 giving up a hesitation, and "are you kidding"', () => {
  it('reads 算了 then 还是 / 那就 and the instruction as the instruction, a negation after it still as negation', () => {
    for (const t of ['算了还是加吧 50分', '算了 那就导出来吧', '算了吧 那就直接打上'] ) expect({ t, m: analyseMood(t).affirmative }).toEqual({ t, m: true });
    for (const t of ['算了 还是别导了', '算了 还是不要给他加了', '算了不发了', '算了']) expect({ t, m: analyseMood(t).negated }).toEqual({ t, m: true });
  });

  it('reads 开什么玩笑 / 开啥玩笑 as not meant', () => {
    for (const t of ['开什么玩笑 给全店清零', '给周杰加1000分？开啥玩笑']) expect({ t, a: analyseMood(t).affirmative, h: analyseMood(t).hypothetical }).toEqual({ t, a: false, h: true });
  });
});

describe('session 22: a question before a pause, and whether someone did a write', () => {
  it('reads 吗 before a pause as a question whatever follows, and keeps a polite request a request', async () => {
    const { analyseMood } = await import('./mood.ts');
    expect(analyseMood('郑凯的客户能转给韩梅吗 我先问问').affirmative).toBe(false);
    expect(analyseMood('给刘洋加50分 好吗 谢谢').politeRequest).toBe(true);
  });
});

describe('session 23: a consequence threatened, not asked for', () => {
  it.each([
    '你们要再推销我就取消订阅',
    '再给我发短信就退订',
    '下回再这么慢我就投诉你们',
    '赶紧的 不然我就退订了',
    '再过两天还没来就给他扣50分',
  ])('%s is a supposition, never an order', (text) => {
    const m = analyseMood(text);
    expect(m.hypothetical, JSON.stringify(m.cues)).toBe(true);
    expect(m.affirmative).toBe(false);
  });
  it.each(['再给她加100分', '那就给她退订吧', '就给周杰打个老客标签', '再给她加100分就行', '给她记一下：客人说再上错菜就投诉'])('%s stays an order', (text) => {
    const m = analyseMood(text);
    expect(m.affirmative, JSON.stringify(m.cues)).toBe(true);
  });
});

describe('session 23: "no" before a write, a refusal with its member before 记', () => {
  it('reads "no <write noun>" at the start of a clause as a refusal, and "no" before a figure as none', () => {
    for (const t of ['no coupons for the churned ones this month', 'ok, no more tagging today', 'no export till friday please']) expect({ t, n: analyseMood(t).negated }).toEqual({ t, n: true });
    expect(analyseMood('tag 陈静 VIP, no worries').negated).toBe(false);
  });

  it('reads 甭/别/不用 + 给X + 记 as a refused note', () => {
    for (const t of ['别给陈静记了', '不用替刘洋记']) expect({ t, n: analyseMood(t).negated, a: analyseMood(t).affirmative }).toEqual({ t, n: true, a: false });
  });
});

describe('session 24: a relay with when and how it was said, a change of mind with a bare 不…了', () => {
  it.each(['李娜在电话里说要我们把她的投诉过标签删了', '周杰昨天来店里说想要个VIP标签', '王芳微信上说要退订', '客户刚才打电话来说要加积分', '陈静发消息来说让我们给她加分'])(
    '%s relays a wish (when/how between the person and 说); a call told is what to record',
    (text) => {
      const m = analyseMood(text);
      expect(m.reported, JSON.stringify(m.cues)).toBe(true);
      expect(m.affirmative).toBe(false);
    },
  );
  it.each(['给陈静建个投诉工单 算了不建了 她说不追究', '给王芳加100分 算了不加了 下次吧', '打个VIP 等等 不打了 我再问问'])('%s takes the instruction back, whatever follows', (text) => {
    const m = analyseMood(text);
    expect(m.negated, JSON.stringify(m.cues)).toBe(true);
    expect(m.affirmative).toBe(false);
  });
  it.each(['陈静在店里消费了500 给她加50分', '李娜今天到店 帮她登记一下', '记录 客户说算了不加辣', '周杰又来电说包间空调太冷'])('%s stays an order', (text) => {
    const m = analyseMood(text);
    expect(m.affirmative, JSON.stringify(m.cues)).toBe(true);
  });
});

describe('session 24: a tag question at the end (是吧 / 对吧 / 没错吧 / 是伐 / 对不对)', () => {
  // s24b: "她投诉那单跟进逾期了是吧" opened a ticket — 吧 read as a polite request, 是吧 as nothing.
  it.each(['他那个工单超时了是吧', '报修那单已经关了对吧', '给陈静开个售后工单 是吧', '周杰的跟进过期了没错吧', '投诉单还没处理是伐', '那单关了 对不对', '记录 客人来电 是吧'])(
    '%s asks to be told, never to act (even after a verb of dictated content)',
    (text) => {
      const m = analyseMood(text);
      expect(m.question, JSON.stringify(m.cues)).toBe(true);
      expect(m.affirmative).toBe(false);
    },
  );
  it.each(['那就发吧', '记一下吧', '就这样吧', '给王芳开个报修单吧', '行吧 给她加100分 生日'])('%s stays an order (吧 after anything but 是/对/没错)', (text) => {
    const m = analyseMood(text);
    expect(m.affirmative, JSON.stringify(m.cues)).toBe(true);
  });
});

describe('session 25 (s25-harm): relays, refusals beside a request, a joke closed by a laugh', () => {
  it.each(['她说要投诉 让我给她开个单', '李娜说卡坏了 叫我帮她报修', '客人说菜凉了 要我给她记一笔'])('%s: what someone said, then what they asked the user to do — relayed', (text) => {
    const m = analyseMood(text);
    expect(m.reported, JSON.stringify(m.cues)).toBe(true);
    expect(m.relayedForService).toBe(false);
  });
  it.each(['李娜说储值卡能用了 T20261121000002你帮我关掉', '王芳说包间空调修好了 你帮我把工单改成已解决'])('%s: a fact relayed, then the user\'s own order to the bot', (text) => {
    expect(analyseMood(text).affirmative).toBe(true);
  });
  it.each(['老板说要给周杰加100分', '老板说 你帮我给周杰加100分', '老板说可以 你帮我发'])('%s stays relayed (a wish, a quote, a permission)', (text) => {
    expect(analyseMood(text).reported).toBe(true);
  });
  it.each([
    ['别删李娜的投诉过标签 把新客从刘洋那去掉', '别删李娜的投诉过标签', '把新客从刘洋那去掉'],
    ['不是要扣分 是要加 给陈静加80分', '不是要扣分', '是要加 给陈静加80分'],
    ['先建个人群包 5级的 别导出', '别导出', '先建个人群包 5级的'],
    ['那个 周杰的召回中标签 不用打了 改成流失风险', '不用打了', '改成流失风险'],
  ])('%s: the refusing clause wherever it stands, what is asked beside it', (text, refused, asked) => {
    expect(insteadOf(text)).toEqual({ refused, asked });
  });
  it.each(['先别发 我再想想', '小刘客户转给王店长的事先别做 她还没离职', '不用了 谢谢'])('%s asks nothing else', (text) => {
    expect(insteadOf(text)).toBeNull();
  });
  it('reads the request after a laugh, not the joke before it', () => {
    expect(analyseMood('要是发错了我就扣你工资 哈哈 给流失名单发20元券').affirmative).toBe(true);
    expect(analyseMood('给流失名单发券 哈哈 开玩笑的').affirmative).toBe(false);
  });
  it.each(['算了打上吧', '算了 发吧'])('%s: giving up the doubt, then the bare order', (text) => {
    expect(analyseMood(text).affirmative).toBe(true);
  });
  it.each(['算了吧', '算了 不发吧', '算了 再说吧'])('%s still refuses or puts off', (text) => {
    expect(analyseMood(text).affirmative).toBe(false);
  });
});

describe('session 26 (s26-harm): whether a write can be done at all is a question, not a polite request', () => {
  it.each(['能不能给会员随便加积分啊？', '你是不是可以直接给所有人发券', '可不可以随便给客人打标签'])('%s asks', (text) => {
    const m = analyseMood(text);
    expect(m.question).toBe(true);
    expect(m.politeRequest).toBe(false);
  });
  it.each(['能不能给王芳加100分', '可不可以帮我给13800000005打个老客标签', '能不能给流失会员发30的券', '可不可以给会员王芳打个老客标签'])('%s is a polite request', (text) => {
    expect(analyseMood(text).politeRequest).toBe(true);
  });
});
