import { describe, expect, it } from 'vitest';
import { parseInteraction, parsePoints, parseTicket, parseTicketUpdate } from './service-text.ts';

describe('service text parsers', () => {
  it('reads type, channel, content and follow-up of an interaction', () => {
    expect(parseInteraction('记录 13800000001 来电投诉上菜慢', ['13800000001'])).toEqual({ type: 'complaint', channel: 'call', content: '上菜慢', said: '上菜慢', stated: { type: 'complaint', channel: 'call' } });
    expect(parseInteraction('记录 张伟 到店表扬服务员小王', ['张伟'])).toEqual({ type: 'praise', channel: 'store', content: '服务员小王', said: '服务员小王', stated: { type: 'praise', channel: 'store' } });
    expect(parseInteraction('记录 M00000001 微信咨询包间预订 3天后回访', ['M00000001'])).toEqual({ type: 'consultation', channel: 'wechat', content: '包间预订', said: '包间预订', followUpDays: 3, followUpSaid: '3天后回访', stated: { type: 'consultation', channel: 'wechat', followUpDays: 3 } });
    expect(parseInteraction('log a call from 13800000001: complained about slow service', ['13800000001'])).toMatchObject({ type: 'complaint', channel: 'call', content: 'slow service' });
    expect(parseInteraction('记录 13800000005 参加了品鉴会活动', ['13800000005'])).toMatchObject({ type: 'activity' });
    // Defaults are run()'s, not what the message said: the router reports only the stated part.
    expect(parseInteraction('记录 13800000005 说想办储值卡', ['13800000005'])).toMatchObject({ type: 'consultation', channel: 'store', stated: {} });
    // What was said gives the type when no type word does, and stays in the content.
    expect(parseInteraction('13800000004 客户说菜太咸了', ['13800000004'])).toMatchObject({ type: 'consultation', stated: {} });
    expect(parseInteraction('记一下 王芳 电话问停车', ['王芳'])).toMatchObject({ type: 'consultation', content: '问停车', stated: { type: 'consultation', channel: 'call' } });
    expect(parseTicket('给周杰开个工单 包间空调不制冷', ['周杰'])).toMatchObject({ type: 'repair', stated: { type: 'repair' } });
  });

  it('reads a follow-up, a score and a priority in the shorter and English shapes staff type (session 19)', () => {
    expect(parseInteraction('帮我 log 一下 M00000012 微信咨询 7天后 follow up', ['M00000012']).stated).toEqual({ type: 'consultation', channel: 'wechat', followUpDays: 7 });
    expect(parseInteraction('记一下 今天电话回访过了 她说下次再来 7天后再跟', []).stated).toEqual({ channel: 'call', followUpDays: 7 });
    expect(parseInteraction('记一下 今天打电话过去没人接 3天后再打', []).stated.followUpDays).toBe(3);
    expect(parseInteraction('called her, follow up after 3 days', []).stated.followUpDays).toBe(3);
    // The member coming back is no follow-up by staff.
    expect(parseInteraction('记一下 王芳说3天后再来店里', ['王芳']).stated.followUpDays).toBeUndefined();
    expect(parseInteraction('她说3天后回来', []).stated.followUpDays).toBeUndefined();
    // Session 24: the follow-up said with 提醒, 确认 or a bare 回 after the days, and 后天 / 大后天.
    expect(parseInteraction('记 微信咨询 年夜饭 5天后回', []).stated.followUpDays).toBe(5);
    expect(parseInteraction('陈静电话说下周来吃饭 5天后再确认', ['陈静']).stated.followUpDays).toBe(5);
    expect(parseInteraction('她说周末到店 3天后提醒回访', []).stated.followUpDays).toBe(3);
    expect(parseInteraction('咨询包间 后天回访', []).stated.followUpDays).toBe(2);
    expect(parseInteraction('咨询包间 大后天再跟进', []).stated.followUpDays).toBe(3);
    // Her visit to come is no channel of this contact.
    expect(parseInteraction('她说周末到店 3天后提醒回访', []).stated).toEqual({ followUpDays: 3 });
    expect(parseInteraction('王芳今天到店 说周末再来', ['王芳']).stated.channel).toBe('store');
    // A store visit is the member coming in; a visit alone stays staff's visit.
    expect(parseInteraction('log a store visit for M00000012, follow up in 7 days', ['M00000012']).stated).toEqual({ channel: 'store', followUpDays: 7 });
    expect(parseInteraction('M00000012 visited the store today', ['M00000012']).stated.channel).toBe('store');
    expect(parseInteraction('log a visit for M00000004: asked about the new menu', ['M00000004']).stated.channel).toBe('visit');
    expect(parseTicketUpdate('工单T20261121000002满意度打个五分客户挺满意的')).toMatchObject({ action: 'rate', satisfaction: 5 });
    expect(parseTicketUpdate('T20261121000001 给个5星')).toMatchObject({ action: 'rate', satisfaction: 5 });
    expect(parseTicketUpdate('T20261121000001 4 stars')).toMatchObject({ action: 'rate', satisfaction: 4 });
    expect(parseTicket('给13800000004建个投诉功单 菜品偏咸 搞优先', ['13800000004']).stated).toEqual({ type: 'complaint', priority: 'high' });
    expect(parseTicket('建单 优先级低', []).stated.priority).toBe('low');
    expect(parseTicket('建单 设成优先级低', []).stated.priority).toBe('low');
  });

  it('reads ticket type, priority and title', () => {
    expect(parseTicket('给 13800000001 建工单 包间空调坏了 紧急', ['13800000001'])).toEqual({ type: 'repair', priority: 'urgent', title: '包间空调坏了', stated: { type: 'repair', priority: 'urgent' } });
    expect(parseTicket('为 M00000002 提交工单 外卖少送一份 售后', ['M00000002'])).toEqual({ type: 'after_sales', priority: 'normal', title: '外卖少送一份 售后', stated: { type: 'after_sales' } });
    expect(parseTicket('create ticket for 13800000001 refund for a cold dish high priority', ['13800000001'])).toEqual({ type: 'after_sales', priority: 'high', title: 'refund cold dish', stated: { type: 'after_sales', priority: 'high' } });
  });

  it('reads ticket updates', () => {
    expect(parseTicketUpdate('工单 T20261121000001 已解决 更换压缩机')).toEqual({ ticketNo: 'T20261121000001', action: 'status', status: 'resolved', note: '更换压缩机' });
    expect(parseTicketUpdate('把 t20261121000001 改为处理中')).toEqual({ ticketNo: 'T20261121000001', action: 'status', status: 'in_progress' });
    expect(parseTicketUpdate('close ticket T20261121000001')).toEqual({ ticketNo: 'T20261121000001', action: 'status', status: 'closed' });
    // Session 17: a reason starting with a time word is no period after a bare signed figure.
    expect(parsePoints('13800000005 +1500 年度回馈', ['13800000005'])).toEqual({ delta: 1500, reason: '年度回馈' });
    expect(parsePoints('王芳 +200 周年庆', ['王芳']).delta).toBe(200);
    expect(parsePoints('王芳 +200 月度之星', ['王芳']).delta).toBe(200);
    expect(parsePoints('王芳 +3 个月', ['王芳']).delta).toBeUndefined();
    // Session 17: a visit to the store said 来店/进店, and 明天再跟进.
    expect(parseInteraction('吴敏今天来店里夸了我们的新菜帮我记一下明天再跟进', ['吴敏']).stated).toEqual({ type: 'praise', channel: 'store', followUpDays: 1 });
    expect(parseInteraction('王芳来店说要订包间', ['王芳']).stated.channel).toBe('store');
    // Session 17: the kind a message gives the ticket outranks a cue in its content; 售后 over a fault only for goods.
    expect(parseTicket('给王芳建个售后单 买的礼盒坏了', ['王芳']).stated.type).toBe('after_sales');
    expect(parseTicket('open an after-sales ticket for 周杰, the gift box arrived broken', ['周杰']).stated.type).toBe('after_sales');
    expect(parseTicket('帮我建个售后单 13800000001 空调坏了', ['13800000001']).stated.type).toBe('repair');
    expect(parseTicket('开个投诉单 菜里有头发 退款', []).stated.type).toBe('complaint');
    expect(parseTicket('幫李娜開個諮詢單 問團餐報價'.replace('諮詢', '咨询'), ['李娜']).stated.type).toBe('consultation');
    // Session 17: being worked on in staff's words, and a state stated beside a score.
    for (const said of ['在跟了', '正在跟进', 'on it', 'working on it']) expect(parseTicketUpdate(`T20261121000001 ${said}`).status).toBe('in_progress');
    expect(parseTicketUpdate('T20261121000002 客人说满意 打5分 可以关了')).toEqual({ ticketNo: 'T20261121000002', action: 'rate', satisfaction: 5, status: 'closed' });
    expect(parseTicketUpdate('T20261121000001 rated 5, close it')).toMatchObject({ satisfaction: 5, status: 'closed' });
    expect(parseTicketUpdate('T20261121000001 满意度 4')).toEqual({ ticketNo: 'T20261121000001', action: 'rate', satisfaction: 4 });
    expect(parseTicketUpdate('升级工单 T20261121000001')).toEqual({ ticketNo: 'T20261121000001', action: 'escalate' });
    expect(parseTicketUpdate('T20261121000001 满意度 5')).toEqual({ ticketNo: 'T20261121000001', action: 'rate', satisfaction: 5 });
    expect(parseTicketUpdate('工单怎么样了')).toEqual({});
    expect(parseTicketUpdate('T20261121000001 指派给 客服小刘')).toEqual({ ticketNo: 'T20261121000001', action: 'assign', assignee: '客服小刘' });
    expect(parseTicketUpdate('assign T20261121000001 to agent_01')).toEqual({ ticketNo: 'T20261121000001', action: 'assign', assignee: 'agent_01' });
  });

  it('reads points changes and reasons', () => {
    expect(parsePoints('给 13800000001 加 100 积分 原因 消费奖励', ['13800000001'])).toEqual({ delta: 100, reason: '消费奖励' });
    expect(parsePoints('13800000001 扣 50 积分 兑换饮品', ['13800000001'])).toEqual({ delta: -50, reason: '兑换饮品' });
    expect(parsePoints('给张伟加两千积分，理由：投诉补偿', ['张伟'])).toEqual({ delta: 2000, reason: '投诉补偿' });
    expect(parsePoints('add 200 points to 13800000001 for birthday', ['13800000001'])).toEqual({ delta: 200, reason: 'birthday' });
    expect(parsePoints('deduct 30 points from M00000001 reason redeemed a drink', ['M00000001'])).toEqual({ delta: -30, reason: 'redeemed a drink' });
    expect(parsePoints('给 13800000001 加积分', ['13800000001'])).toEqual({});
    // A bare number right after the verb or a sign; never an amount, a period, a country code or 补一下.
    expect(parsePoints('给他扣100 兑换了饮品', [])).toEqual({ delta: -100, reason: '兑换了饮品' });
    expect(parsePoints('13800000006 +100 生日', ['13800000006'])).toEqual({ delta: 100, reason: '生日' });
    expect(parsePoints('给他补一下积分', [])).toEqual({});
    expect(parsePoints('M00000007 -200 兑换礼品', ['M00000007'])).toEqual({ delta: -200, reason: '兑换礼品' });
    expect(parsePoints('138-0000-0001 加积分', [])).toEqual({});
    expect(parsePoints('给他加30元的券', [])).toEqual({});
    expect(parsePoints('+86 13800000006 加积分', ['13800000006'])).toEqual({});
    // The preposition before the member is not a reason: the bot asks for one.
    expect(parsePoints('deduct 50 points from 13800000003', ['13800000003'])).toEqual({ delta: -50 });
    expect(parsePoints('give 100 points to Li Na', ['Li Na'])).toEqual({ delta: 100 });
    expect(parsePoints('deduct 20 points from M00000002, wrong redemption', ['M00000002'])).toEqual({ delta: -20, reason: 'wrong redemption' });
  });
});

describe('parsePoints: a reason must say something', () => {
  it('what is left once the member is cut out is no reason; a real one is kept', () => {
    expect(parsePoints('deduct 50 points from 13800000003', ['13800000003'])).toEqual({ delta: -50 });
    expect(parsePoints('给她扣50分吧', [])).toEqual({ delta: -50 });
    expect(parsePoints('给13800000006扣100分 兑换饮品', ['13800000006'])).toEqual({ delta: -100, reason: '兑换饮品' });
    expect(parsePoints('add 100 points to M00000003 for her birthday', ['M00000003'])).toMatchObject({ delta: 100, reason: 'her birthday' });
  });
});

describe('parsePoints: the sign, whatever the word order', () => {
  it.each([
    ['扣 80积分', [], -80],
    ['韩梅 -120', ['韩梅'], -120],
    ['冯涛减30分 兑换了饮料', ['冯涛'], -30],
    ['唐宁积分扣回50', ['唐宁'], -50],
    ['把罗敏的积分减掉一百', ['罗敏'], -100],
    ['把宋佳多加的70分扣回来', ['宋佳'], -70],
    ['钟欣的积分要扣掉150 换了甜品', ['钟欣'], -150],
    ['take 25 points off Peng Bo', ['Peng Bo'], -25],
    ['knock 50 points off Cao Yang, duplicate', ['Cao Yang'], -50],
    ['dock 20 points from 13800000004 refund', ['13800000004'], -20],
    ['50 points deducted from 13800000003, wrong order', ['13800000003'], -50],
    ['M00000321 扣两百分', ['M00000321'], -200],
    ['给何欢退回40分', ['何欢'], 40],
    ['给邓超补三十分', ['邓超'], 30],
    ['give 1.5k points to Cao Yang', ['Cao Yang'], 1500],
    ['加2w积分', [], 20000],
  ] as const)('%s → %i', (text, refs, delta) => {
    expect(parsePoints(text, [...refs]).delta).toBe(delta);
  });
  it('a lone 一 after a verb is no figure, and "扣回来" is no reason', () => {
    expect(parsePoints('给他补一下积分', []).delta).toBeUndefined();
    expect(parsePoints('把宋佳多加的70分扣回来', ['宋佳']).reason).toBeUndefined();
  });
});

describe('parseInteraction: kinds said in other words', () => {
  it('夸 and praising are praise, enquiry is a consultation, booking a room is asked about', () => {
    expect(parseInteraction('王芳刚到店夸服务好', ['王芳']).stated.type).toBe('praise');
    expect(parseInteraction('record wechat msg praising the new menu', []).stated.type).toBe('praise');
    expect(parseInteraction('wechat enquiry about birthday set menu', []).stated.type).toBe('consultation');
    expect(parseInteraction('邱莹来电说周六订包间', ['邱莹']).stated.type).toBe('consultation');
    expect(parseInteraction('说菜太咸', []).stated.type).toBeUndefined();
  });
});

describe('parseTicketUpdate: closing and rating said tersely', () => {
  it('关了 closes, 评了4分 rates; a question or a negation does not close', () => {
    expect(parseTicketUpdate('T20261121000002 关了吧')).toMatchObject({ action: 'status', status: 'closed' });
    expect(parseTicketUpdate('T20261121000001 客户评了4分')).toMatchObject({ action: 'rate', satisfaction: 4 });
    expect(parseTicketUpdate('T20261121000001 customer rated it 5')).toMatchObject({ action: 'rate', satisfaction: 5 });
    expect(parseTicketUpdate('T20261121000002 还没关')).not.toMatchObject({ status: 'closed' });
  });
});

describe('parseInteraction: a request with nothing said', () => {
  it('"给王芳记一条" says nothing (the gate asks what to log); what was said is kept', () => {
    expect(parseInteraction('帮我给王芳记一条', ['王芳']).said).toBe('');
    expect(parseInteraction('13800000004 客户说菜太咸了，记录一下', ['13800000004']).said).toBe('菜太咸了');
  });
});
