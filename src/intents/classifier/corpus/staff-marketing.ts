import type { CorpusFile } from './generate.ts';

/** Recall (launch, status, list, stop) and segments (人群包: create, count, export). */
export const staffMarketing: CorpusFile = {
  'recall.launch': {
    audience: 'staff',
    zh: [
      '给[本店|{store}|][高风险|][流失会员|流失名单|沉睡会员|流失客户|快流失的老客][发|推|送][召回券|优惠券|券|召回短信|召回消息]',
      '给[流失会员|沉睡会员|流失名单里的人|老客]发{amount}[召回券|券|优惠券|代金券]',
      '[发起|启动|开始|做|搞|整][一次|一波|一轮|个|][召回|流失召回|会员召回|唤醒|挽回][活动|]',
      '[召回|唤醒|挽回][一下|][流失会员|沉睡会员|流失名单|那些不来的老客][吧|，发{amount}券|]',
      '[把|帮我把][流失名单|沉睡会员|快流失的会员][召回一下|唤醒一下|挽回一下|都召回]',
      '[用|拿]{amount}[的券|优惠券|代金券][召回|唤醒|挽回][流失会员|沉睡客户|老客]',
      '[对|针对][流失|沉睡|高风险][会员|客户][做|发起|来][一波|一次|个]召回',
      '[流失会员|沉睡会员]召回 {amount}',
      // A new marketer in plain words (s24a): the long-absent customers brought back with a coupon.
      '[我刚来不太懂|不太懂|][ |，|][就是|][想|想要][把|][那些|][很久没来|好久没来|半年没来|一直没来][吃|][的][客人|客户|会员|老客][拉回来|叫回来|召回来|请回来][ |，][能|可以|][给他们|给她们|][发张|发个|送张|发][{amount}|][的|][券|优惠券|代金券][吗|吧|]',
      '[群发|批量发][召回券|召回短信|优惠券]给[流失会员|流失名单|沉睡会员]',
      '给[流失会员|流失的人|沉睡会员|流失名单][群发|批量发|都发][个|张|一张|][券|优惠券|召回券]',
      '[{store}|本店]的流失会员[发|送]{amount}券召回[一下|]',
      '一键[召回|唤醒|挽回][流失预警名单|流失会员|沉睡会员|流失名单上的人|高风险会员]',
      // Asked for one member by name (s25): still the recall asked for — the write gate says a recall goes to a list.
      '给{name}[也|][发|送|推][个|张|一张|一个|][召回|召回券|召回短信|召回消息][吧|]',
      '[把|帮我把]{name}[召回|挽回|唤醒][一下|吧|]',
    ],
    en: [
      'recall [the churn list|churned members|lapsed customers|at-risk members] [with a {amount_en} coupon|]',
      '[launch|start|run] a [recall|win-back] [campaign|] [for churned members|] [with {amount_en}|]',
      'send [a|] [{amount_en}|] [win-back|recall] coupon[s|] to [the churn list|lapsed members]',
      'win back [lapsed|churned] customers with {amount_en}',
      '[recall|win back] {name}',
      'send {name} a [recall|win-back] [coupon|message|]',
      '给 churn list 发 recall coupon {amount}',
    ],
  },
  'recall.list': {
    audience: 'staff',
    zh: [
      '[召回列表|召回清单|所有召回|全部召回|召回记录]',
      '[现在|目前|当前][有哪些|有几个|都有什么|都有哪些]召回[在跑|在进行|在发|进行中|]',
      '[看看|查一下|列一下|给我看看|列出][最近的|进行中的|正在跑的|所有的|本店的][召回|召回活动][列表|清单|]',
      '[进行中|正在跑|在发|还没发完]的召回[有哪些|有几个|是哪些|]',
      '[最近|这个月][发起了|做了][哪些|几个]召回',
      // The list named by a collective word, or by the state of the recalls (still open, running).
      '[召回|召回活动|唤醒活动][都有哪些|一览|汇总|总览|全列出来|列表呢]',
      '[跑着的|没结束的|还开着的|还在发的|在跑的][召回|召回活动][给我列一下|列一下|看看|有几个|有哪些|]',
      '召回 [列表|清单|一览|list]',
    ],
    en: ['list [the|all|my|] recalls', '[which|what] recalls are [running|active|in progress|still sending]', '[show|list] [running|active|recent|ongoing] recalls', 'recall list'],
  },
  'recall.stop': {
    audience: 'staff',
    zh: [
      '[停止|停掉|终止|中止|叫停|暂停]召回 {count}',
      '[把|帮我把] {count} 号召回[停掉|停了|停下来|终止|叫停]',
      '召回 {count} [别发了|不要再发了|停一下|先停掉|停了吧|停掉]',
      '[停止|停掉|终止][那个|刚发的|正在跑的|进行中的]召回',
      '召回[发错了|有问题]，[赶紧|马上|快]停[掉|下来|]',
      '[别再|不要再][发|群发]召回[了|券了|短信了]',
      // Taking a recall back, or switching it off.
      '[撤回|撤销|收回][召回|那个召回|召回 {count}|{count}号召回|刚发的召回]',
      '[召回|召回活动|召回 {count}][先停|暂停一下|停一停|关掉|关了吧]',
      // The recall just sent, pointed at (s25): "停掉刚才那个" once it went out.
      '[停掉|停了|停止|叫停|终止|撤回][刚才|刚刚|刚][那个|那次|发的那个|发的|发出去的][召回|]',
      '[刚才|刚刚][那个|发的那个|发的|发出去的][召回|][停掉|停了吧|停一下|先停了|别发了]',
    ],
    en: ['stop recall [#|no. |number |]{count}', '[halt|abort|terminate|pause] recall [#|]{count}', 'stop the [running|] recall', 'stop sending the recall', 'stop [the one|that one|the recall] [I|we] just [sent|launched]'],
  },
  'recall.status': {
    audience: 'staff',
    zh: [
      '召回[做得|搞得|弄得|进行得][怎么样了|咋样了|如何了|怎样]',
      '[上次|上周|之前|前几天|{period}|昨天][的|发的|做的][召回|召回活动|召回券|唤醒活动][效果|结果|情况|数据][怎么样|如何|咋样|好不好|]',
      '召回[券|活动][用了多少|核销了多少|回来了几个人|有人用吗|回流了多少]',
      '[召回|唤醒][回来|回店|回流][了|的][多少人|几个人|几个]',
      '[之前|上次|已经][发起|做|发]的召回[怎么样了|进度|到哪了|结果呢|效果]',
      '[召回|召回活动][进度|状态|结果|效果|数据|转化率|核销率][呢|怎么样|如何|]',
      '[看看|看下|查查|给我看看][召回|召回活动|召回券][的|][效果|结果|数据|情况|进展]',
      '[发出去的|发了的]召回券[有人用吗|用了几张|核销了吗|效果如何]',
      '[我们|店里|{store}][最近|{period}][做过|发过|搞过][几次|哪些]召回',
      '召回[做了吗|发出去了吗|发了没|成功了吗]',
      // Whether the coupons went out (the action's result, not the action).
      '[券|召回券|优惠券|短信|召回短信][都|已经|][发出去了吗|发完了没|发了没|到了吗|发到了没|送出去了吗]',
      // Shorthand: the coupons a recall sent and whether they were used.
      '[券|优惠券|召回券|回归券|发的券][ |][核销|核销率|核销情况|用了多少|用了几张|使用率|使用情况|用掉没]',
      // A recall pointed at (that one, number N) and what came of it.
      '[那次|这次|刚才那个|前天的|{count}号]召回[回来几个|回来多少人|有效果没|有人来吗|效果咋样|战果如何]',
      '[发了召回以后|召回之后|召回完][回来了|到店了|来消费了][多少人|几个|没有]',
    ],
    en: [
      'how did the [recall|win-back campaign] [go|do|perform]',
      '[recall|win-back] [results|status|progress|performance]',
      'how many [came back|returned|redeemed] [from the recall|after the win-back]',
      'did the recall [work|go out]',
      '[did|have|were] the [coupons|vouchers|recall messages|texts] [go out|gone out|get sent|been sent|sent|delivered]',
      '[are|were] the [coupons|vouchers] [out|sent|used] [yet|]',
      'status of [the|my|last] recall',
      '召回 status',
    ],
  },
  'segment.create': {
    audience: 'staff',
    zh: [
      '[创建|新建|建|建一个|新建一个|帮我建一个|生成|做一个|弄个|整个]人群包 {seg}[：|:| ]{cond}',
      '[创建|新建|建立|建][一个|个|]人群 {seg}[：|:| ]{cond}',
      '[把|将]{cond}的[会员|人|客户][建成|做成|存成|保存为][一个|个|]人群包[叫|名叫|，名字叫|] {seg}',
      '[圈一下|圈出|圈人：|圈一批人：]{cond}[，|,| ][存为|保存成|建成]人群包 {seg}',
      '[帮我|][保存|存]一个人群包 {seg} 条件是{cond}',
      '[新建|创建]客群 {seg}[：|:]{cond}',
      '人群包[新建|创建] {seg} {cond}',
    ],
    en: [
      '[create|new|make a] segment {seg}[:| -] {cond}',
      'save a segment called {seg} [with|for] {cond}',
      'create segment {seg}: {cond}',
      '[create|make|build] a segment [called|named] {seg}[:|,| -] {cond}',
    ],
  },
  'segment.count': {
    audience: 'staff',
    zh: [
      '人群包[ |]{seg}[ |][有多少人|多少人|人数|有几个人|规模多大|多大|有多少会员|现在多少人]',
      '{seg}[这个|][人群包|人群|客群][有多少人|人数多少|有几个人|规模|多大]',
      '[看看|查查|算一下|刷新一下]人群包{seg}[的|][人数|规模|有多少人]',
      '人群包{seg}[现在|目前|最新][有|]多少[人|会员]',
      '[客群|人群] {seg} [多少人|人数|规模]',
    ],
    en: [
      'how many [members|people] [are|] in [segment|the segment] {seg}',
      '[size|count] of segment {seg}',
      'segment {seg} [size|count|how many]',
    ],
  },
  'segment.export': {
    audience: 'staff',
    zh: [
      '[导出|下载|导|拉][一下|]人群包[ |]{seg}[ |][成Excel|为表格|的名单|]',
      '[把|将]人群包{seg}[导出|导出来|下载下来|导成Excel|导成表格|拉个表]',
      '人群包{seg}[的名单|][导出|给我导一份|发我一份表格|下载]',
      '[导出|下载][人群|客群] {seg}',
      '{seg}[这个|]人群包[的会员|][导出来|导一份|给我个表]',
    ],
    en: [
      'export [segment|the segment] {seg} [to excel|as a spreadsheet|]',
      'download [segment|the members of segment] {seg}',
      'export segment {seg}',
    ],
  },
};
