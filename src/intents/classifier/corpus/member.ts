import type { CorpusFile } from './generate.ts';

/** A member asking about themself (the member audience). */
export const memberIntents: CorpusFile = {
  'my.help': {
    audience: 'member',
    zh: [
      '[帮助|菜单|功能|使用说明]',
      '[你|这个|客服机器人|机器人][能做什么|能帮我做什么|可以做什么|能干什么|有什么功能|怎么用]',
      '[我|我能][可以|能][查|问]些什么',
      '[怎么用|咋用|怎么操作|有哪些功能][呀|啊|]',
      '[你是谁|你是干什么的|这是什么]',
    ],
    en: ['[help|menu|what can you do|how does this work]', 'what can I [ask|do here]', '[who are you|what are you]'],
  },
  'my.points': {
    audience: 'member',
    zh: [
      '[我|我的][还有|现在有|一共有|有][多少|几][积分|分]',
      '[我的|][积分|积分余额|积分明细|积分记录][查询|多少|呢|是多少|怎么查|]',
      '[查|查一下|看看|帮我查][我的|]积分',
      '积分[能换什么|能抵钱吗|什么时候过期|快过期了吗|怎么用|怎么兑换]',
      '[我|我的]积分[够|能][兑换|换][吗|什么]',
      '[上次|最近][消费|买东西][的|]积分[到账了吗|有没有加上|怎么没到]',
      // About someone else's account: still a question about points (the member gate refuses it).
      '[帮我|][查下|查一下|看看|看下]{phone}的[积分|积分余额]',
    ],
    en: ['how many points do I have', '[my|check my] [points|pts] [balance|]', 'points balance', 'when do my points expire', '[show me|tell me|check] [everyone\'s|all members\'|other members\'|his|her] points'],
  },
  'my.level': {
    audience: 'member',
    zh: [
      '[我是|我现在是|我][什么|哪个][等级|会员|级别]',
      '我[的|][会员|][等级|级别|卡等级|会员卡]',
      '[我|我的卡][是金卡吗|是银卡吗|是什么卡|几级]',
      '[怎么|如何|要多少钱才能|还差多少][升级|升到下一级|升金卡]',
      '[下一级|更高等级|金卡|钻石卡][有什么|的][权益|好处|福利]',
      '我[有|享有|能享受][什么|哪些][会员|][权益|福利|特权]',
      // The membership's standing (a VIP or a card still valid) is the level, not a coupon.
      '我的[vip|VIP|会员|会员资格|金卡|会员卡|等级][还有效吗|过期了吗|什么时候到期|还在吗|到期了没|有效期到什么时候]',
    ],
    en: ['what is my [level|tier|membership level]', 'is my [vip|membership|gold status] still [valid|active]', 'how do I [upgrade|reach the next level|get gold]', 'my [tier|status|benefits]'],
  },
  'my.orders': {
    audience: 'member',
    zh: [
      '我[最近|{period}|][买了什么|买过什么|买了啥|消费了什么|吃了什么|点了啥]',
      '我[的|][{period}|最近|][订单|消费记录|购买记录|消费明细|小票|账单]',
      '[查|查一下|看看|帮我查][我的|我][{period}|最近|][订单|消费记录|买过的东西]',
      '我[{period}|最近][消费了|花了][多少|几次|多少钱]',
      '[上次|最后一次][买的|点的|消费的][是什么|是啥|多少钱]',
      '[我|][有没有|有无][下过单|来吃过|消费过][呀|啊|]',
      // About someone else's orders: still a question about orders (the member gate refuses it).
      '[帮我|][查下|查一下|看看|看下]{phone}的[订单|消费记录|消费]',
    ],
    en: ['my [orders|purchases|order history]', 'what did I [buy|order] [{period_en}|recently|]', 'how much did I spend [{period_en}|]'],
  },
  'my.coupons': {
    audience: 'member',
    zh: [
      '我[有|还有][哪些|什么|几张|多少][优惠券|券|代金券|红包|优惠]',
      '[我的|][优惠券|代金券|券|红包|抵用券][呢|在哪|怎么用|还能用吗|什么时候过期|有吗]',
      '[查|看看|查一下][我的|]优惠券',
      '[有没有|有啥|最近有什么][优惠|活动|券][可以用|给我|吗|]',
      '[券|优惠券][快过期了吗|过期了吗|还能用吗|能叠加吗]',
    ],
    en: ['my coupons', 'do I have any [coupons|vouchers|discounts]', 'are my coupons still valid', '[any|got any|are there any] [coupons|vouchers|discounts] [for me|left|I can use|]'],
  },
  unsubscribe: {
    audience: 'member',
    zh: [
      '[退订|取消订阅|TD|td|T]',
      '[以后|别再|不要再|不要][给我|][发|推送|发短信|发广告|发消息][了|]',
      '[别|不要][再|][给我|][发|推][广告|营销短信|消息|活动][了|]',
      '[我|我不想][不想|][再|][收到|接收][你们的|][广告|推送|营销信息|短信|消息][了|]',
      '[关闭|取消][推送|营销消息|短信通知|消息提醒]',
      '[太烦了|好烦|骚扰][，|,| ][别发了|退订|不要再发了]',
    ],
    en: ['[unsubscribe|opt out|opt me out|stop sending|stop messages|stop]', '[I want to|please|] [opt out|unsubscribe][ of marketing| from messages|]', "[please|] stop sending me [messages|ads|promotions]", "[don't|do not] [message|text] me [again|anymore]"],
  },
  handoff: {
    audience: 'member',
    zh: [
      '[转人工|人工客服|人工服务|找客服|我要找人工|找个真人|真人客服|找店长|找经理|叫你们店长来]',
      '[我要|我想]投诉[，|,| ][服务态度太差了|菜里有头发|等了一个小时|你们太坑了|]',
      '[服务|态度|菜][太差|很差|不好][了|]，[我要投诉|叫经理来|我要退款|找人处理]',
      '[我要|申请][退款|退钱|退货][，|,| ][上次的菜有问题|东西坏了|]',
      '[能不能|可以|我想][跟|和|找][人|真人|客服|店长][说|聊|谈][一下|几句|]',
      '[不满意|差评|太失望了|气死了][，|,| ][找人处理|我要投诉|给个说法]',
      '[机器人|你][听不懂|说不清][，|,| ][转人工|换个人|找人工]',
      // A complaint with a threat to take it further (s24a): the member wants it handled by a person now.
      '[上次|昨天|那天|刚才][来|去|][吃的|点的|][烤串|菜|饭|肉|汤][都是|全是|是|][凉的|生的|糊的|咸死了][，|,| ][再不|还不|要是不][处理|解决|给个说法|管][我就|的话我就][打12315|投诉到消协|去消协|给差评|曝光你们][了|]',

      // A member asking for a ticket to be opened asks a person to take up the matter (members open no tickets themselves).
      '[帮我|给我|麻烦|我要|我想|能不能][建|开|提|起|报|登记][个|一个|一张|][工单|单子|售后单|报修单|投诉单][吧|呀|啊|]',
    ],
    en: ['[talk to|speak to|connect me to] a [human|real person|manager|agent]', '[please|can you|] [open|file|raise|log] a [ticket|service request|repair request] for me', 'I want to [complain|file a complaint|get a refund]', 'this is terrible, [refund|let me talk to someone]'],
  },
  'my.tickets': {
    audience: 'member',
    zh: [
      '我[的|][投诉|报修|售后|工单|反馈][处理得怎么样了|处理了吗|有结果了吗|进度|到哪一步了|怎么样了|有人管吗]',
      '[上次|之前|昨天|前几天][的|][投诉|报修|反馈|售后|退款申请][处理得怎么样了|处理好了吗|有回复吗|进度如何|有结果吗]',
      '[我|我之前][反映|投诉|报修]的[问题|事情][解决了吗|处理了没|怎么样了|有进展吗]',
      '[查|查一下|看看][我的|]工单[进度|状态|]',
      '[怎么|为什么][还没人|没人][联系我|回我|处理][呀|啊|]',
      '[我的|]退款[到账了吗|处理了吗|进度怎么样]',
      '[上次|之前|那次][吃饭的|来店的|][那个|][投诉|问题|事][到底|现在|][有没有人管|有人处理吗|有人管吗|有下文吗|怎么没人理|处理了没][啊|呀|]',
      '我[有|有没有|现在有|一共有][几个|多少个|][工单|投诉单|售后单][吗|呀|]',
      // About someone else's tickets: still a question about tickets (the member gate refuses it).
      '[我朋友|我老婆|我老公|我同事|{m}|{phone}][有几个|有没有|的][工单|投诉单|投诉记录][吗|呀|]',
    ],
    en: ['[what is the|] status of my [complaint|ticket|repair request]', 'has my complaint been [handled|resolved]', 'any update on my [ticket|refund|complaint]'],
  },
  'my.smalltalk': {
    audience: 'member',
    zh: [
      '[谢谢|谢啦|多谢|感谢|好的谢谢|收到谢谢|👍|赞|辛苦了|太好了]',
      '[哈哈|哈哈哈|呵呵|😂|你真可爱|你真聪明]',
      '[今天天气怎么样|明天会下雨吗|现在几点了|今天几号]',
      '[你是机器人吗|你是真人吗|你叫什么名字]',
      '[讲个笑话|陪我聊天|好无聊|今天心情不好]',
      '[你们几点关门|几点营业|店在哪里|地址在哪|有停车位吗|能带宠物吗]',
      '[晚安|拜拜|再见|下次见]',
      // Greetings are small talk (test/intents/blind-brief.md).
      '[你好|您好|早|早上好|晚上好|hi|hello|嗨|哈喽|在吗|在么|在不在|有人吗][|，|,|！|~][|呀|啊]',
    ],
    en: ['[thanks|thank you|cheers|great|ok thanks]', '[hi|hello|hey|good morning|hi there][|!]', '[tell me a joke|how are you|are you a robot|what time do you open]', '[bye|good night]'],
  },
};
