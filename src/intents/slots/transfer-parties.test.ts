import { describe, expect, it } from 'vitest';
import { TRANSFER_PHRASES, transferParties } from './transfer-parties.ts';

describe('transferParties: who hands over, who takes over, however it is phrased', () => {
  it.each([
    ['把孙悦的客户转给郑凯', '孙悦', '郑凯'],
    ['孙悦离职了，她的客户都转给郑凯', '孙悦', '郑凯'],
    ['许晴要走了 客户转给唐宁', '许晴', '唐宁'],
    ['郑凯的客户全部交给韩梅', '郑凯', '韩梅'],
    ['罗敏手上的客户转给何欢', '罗敏', '何欢'],
    ['把沈涛名下的客户都分给蒋雯', '沈涛', '蒋雯'],
    ['曹阳的企微客户移交给彭博吧', '曹阳', '彭博'],
    ['把周俊的企微好友都交接给张强', '周俊', '张强'],
    // The taker named first.
    ['让韩梅接手冯涛的客户', '冯涛', '韩梅'],
    ['冯涛的客户由许晴来接', '冯涛', '许晴'],
    ['把客户从何欢转到罗敏', '何欢', '罗敏'],
    ["move Song Jia's customers to Deng Chao", 'Song Jia', 'Deng Chao'],
    ["hand over Tang Ning's customers to Cao Yang", 'Tang Ning', 'Cao Yang'],
    ["move all of hu jun's customers to yang fan", 'hu jun', 'yang fan'],
    ['move zhou jun customers to zhang qiang', 'zhou jun', 'zhang qiang'],
    ['transfer customers from Peng Bo to Xu Qing', 'Peng Bo', 'Xu Qing'],
    ['transfer agent_02 contacts to store_manager_02', 'agent_02', 'store_manager_02'],
    ['we might move 黄丽 customers to 李娜 next week', '黄丽', '李娜'],
    // Session 26: a refusal's "yet" / "for now" after the party is when, not who.
    ["don't move agent_02's contacts to store_manager_02 yet", 'agent_02', 'store_manager_02'],
    ["don't transfer Peng Bo's customers to Xu Qing for now", 'Peng Bo', 'Xu Qing'],
    // Session 20: leaving said with where to, the customers as "her … those", a request between.
    ['老陈调到杭州了 他手里那些客户麻烦都转给李店长', '老陈', '李店长'],
    ['小周月底调去总部 她手上那些微信好友你帮我移交给孙经理', '小周', '孙经理'],
  ])('%s → %s → %s', (text, from, to) => {
    expect(transferParties(text)).toEqual({ from, to });
    // The trigger and the parser read the same phrasings.
    expect(TRANSFER_PHRASES.some((re) => re.test(text))).toBe(true);
  });
  it('reads the parties of a request put as a question, and cuts the request glued after a party (session 17)', () => {
    expect(transferParties("could you transfer 周俊's customers to 黄丽?")).toEqual({ from: '周俊', to: '黄丽' });
    expect(transferParties('帮忙把黄丽的客户交接给周俊好吗')).toEqual({ from: '黄丽', to: '周俊' });
    expect(transferParties('小刘离职了 客户交接给小张你帮我弄一下')).toEqual({ from: '小刘', to: '小张' });
    expect(transferParties('把老陈的客户转给小李你处理下')).toEqual({ from: '老陈', to: '小李' });
    expect(transferParties('把张伟的客户转给李娜帮我办一下')).toEqual({ from: '张伟', to: '李娜' });
  });

  it('ends a party named in staff form where a new clause begins (session 19)', () => {
    expect(transferParties('帮我把小刘手上的企业微信客户都转给王店长小刘下午要休假')).toEqual({ from: '小刘', to: '王店长' });
    expect(transferParties('把客服小刘的客户转给李店长明天生效')).toEqual({ from: '客服小刘', to: '李店长' });
    expect(transferParties('王店长的客户转给客服小刘')).toEqual({ from: '王店长', to: '客服小刘' });
    expect(transferParties('把市场小陈的客户都给总部运营')).toEqual({ from: '市场小陈', to: '总部运营' });
    expect(transferParties('张伟华客户 转 李娜')).toEqual({ from: '张伟华', to: '李娜' });
    expect(TRANSFER_PHRASES.some((re) => re.test('张伟华客户 转 李娜吗?'))).toBe(false);
  });

  it('names who hands over when no one is named to take over, refusals included (session 19)', () => {
    expect(transferParties('别转了 小刘的客户还是她自己管')).toEqual({ from: '小刘' });
    expect(transferParties("don't move 小刘's customers yet, I'm just asking how the transfer works")).toEqual({ from: '小刘' });
    expect(transferParties('把张伟的客户转了')).toEqual({ from: '张伟' });
  });

  it('names no parties when the message names no hand-over', () => {
    expect(transferParties('先别转客户 黄丽还没走')).toEqual({});
    expect(transferParties('把工单从张伟转到李娜')).toEqual({});
    expect(transferParties('孙悦的客户有多少')).toEqual({});
  });
});

describe('session 22: a transfer asked about still names its parties (the gate keeps it from running)', () => {
  it.each([
    ['孙悦的客户可以转给郑凯吗 我就问问', { from: '孙悦', to: '郑凯' }],
    ['许晴要是调走了 她的客户该怎么转给唐宁', { from: '许晴', to: '唐宁' }],
    // Only the taker named: read, the intent asks whose.
    ['干脆把所有客户都转给韩梅好了', { to: '韩梅' }],
  ])('%s', (text, parties) => {
    expect(transferParties(text)).toEqual(parties);
  });
});
