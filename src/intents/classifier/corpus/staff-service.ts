import type { CorpusFile } from './generate.ts';

/** Service work: logging an interaction, tickets, points, today's to-dos. */
export const staffService: CorpusFile = {
  'interaction.log': {
    audience: 'staff',
    zh: [
      '[记录|记一下|登记|记下|记个|备注|写一条记录] {m} {note}',
      '[记录|记一下|登记|记下] {m}[：|:|，| ]{note}',
      '[帮我|][记录|记|登记]一下[，|,| ]{m} {note}',
      '[给|帮]{m}[记|写|加][一条|个|一笔][跟进|互动|沟通|回访|服务][记录|] {note}',
      '{m} {note}[，|,| ][记一下|登记一下|记录下来|帮忙记上]',
      '[添加|新增|写][一条|][跟进|沟通|回访]记录[：|:| ]{m} {note}',
      '[刚|刚才][跟|和]{m}[打了电话|通了电话|聊了][，|,| ]{note}[，|,| ][记一下|记录下|]',
      '[给|帮][他|她|{m}][记录|登记|记|记上][一下|下|一笔|][了|][，|,| ][{note}|]',
    ],
    en: [
      '[log|record|note] [a call from|that|] {m_en}[:| -] {note_en}',
      'add a [note|follow-up] for {m_en}: {note_en}',
      'log {m} {note}',
    ],
  },
  'ticket.create': {
    audience: 'staff',
    zh: [
      '[给|帮|为]{m}[建|开|提|起|新建|创建|提交|开个|建个|起个|建一张][工单|服务单|售后单|报修单|单子] {issue}[ 紧急|]',
      // A complaint ticket opened for the member (named or in focus): a ticket, not a log of the complaint nor the member's tickets.
      '[给|帮|为][{m}|她|他|ta][建|开|提|起|开个|建个|起个|建一张|开一张][投诉单|投诉工单|客诉单|售后单][ |，|,]{issue}[ 高优先级| 紧急| 加急|]',
      '[建|开|起|新建|提][工单|售后单|服务单][：|:| ]{m} {issue}',
      // Negated or deferred: still this intent's words; the gate answers instead of writing.
      '[不用|不必|先别|暂时不用|别][给|帮|为]{m}[建单|开单|建工单|开工单|起单][了|]',
      '{m} {issue}[，|,| ][建个工单|开个单|起个售后单|报修一下|帮忙开单|提个工单]',
      '{m}[报修|报个修|要报修][：|:| ]{issue}',
      '[客人|会员]{m}反映{issue}[，|,| ][开工单|建单|起单|开售后单][处理|跟进|]',
      '[登记|提交]{m}的[售后|报修|投诉][：|:| ]{issue}[ 紧急|]',
    ],
    en: [
      '[open|create|raise|file] a ticket for {m_en}[:| -] {issue_en}',
      'new ticket {m_en} {issue_en} [urgent|high priority|]',
      '{m} open ticket {issue}',
    ],
  },
  'ticket.update': {
    audience: 'staff',
    zh: [
      '[工单|单子|] {ticket} {ticketStatus}[ 更换压缩机| 已电话回访| 退款已处理|]',
      '[把|将] {ticket} [改为|改成|标记为|设为|状态改为] {ticketStatus}',
      '{ticket} [指派给|分配给|转给|交给] {staff}',
      '{ticket} [满意度|评分|打分] [5|4|五星|3分]',
      '[关闭|关掉|结了|关单|结单][工单|] {ticket}',
      '[升级|上报|加急][工单|] {ticket}',
      // Escalation asked before the number is said: the update, which asks for the ticket.
      '[帮我|麻烦|请|][升级|上报|加急][一下|下|][这个|那个|一个|][工单|投诉单|单子]',
      '{ticket}[已经|][修好了|处理完了|搞定了|解决了][，|,| ][关掉吧|结单|关单吧|]',
      '[重新打开|重开] {ticket}',
    ],
    en: [
      '[close|resolve|reopen|escalate] ticket {ticket}',
      '[please|pls|can you|] [escalate|bump up] [a|the|this|that] [ticket|case|complaint]',
      '{ticket} [is resolved|is fixed|done|in progress]',
      'assign {ticket} to {staff}',
      '{ticket} satisfaction [5|4]',
    ],
  },
  'points.adjust': {
    audience: 'staff',
    zh: [
      '给 {m} [加|补|送|赠送|奖励|加上] {points} [积分|分][，|,| ][原因|理由|因为][：|:| ]{reason}',
      '{m} [扣|减|扣掉|扣除|扣减] {points} [积分|分][ |，]{reason}',
      '[给|帮]{m}[加|补|扣|减][{points}|两千|一百][积分|分][，|,| ]{reason}',
      '[帮|帮我|]给{m}[补|加|送][{points}|点][积分|分][吧|][，|,| ][{reason}|]',
      '[再|][扣|减|加|补|送][他|她|TA|{m}]{points}分[，|,| ][{reason}|刚才录多了|录错了|]',
      '[不用|不必|先别|暂时不用|别][给|帮][他|她|{m}][加|扣|补][积分|{points}积分|分][了|]',
      '{m}[积分|][加|扣|补|送]{points}[，|,| ]{reason}',
      '[扣|扣掉|收回]{m}[的|]{points}积分[，|,| ]{reason}',
      '{m}[的积分|积分][兑换|换][饮品|礼品|代金券][扣|减]{points}[分|]',
      '{m} [+|＋|加]{points}[分|积分|][ |，]{reason}',
      // Points in English shorthand amid Chinese ("陈静 加 100 pts 生日"): pts is points, never a tag.
      '{m} [加|补|送|+|扣|减|-] {points} [pts|points|pt|point] [{reason}|]',
      '{m} [-|－|扣]{points}[分|积分|][ |，]{reason}',
    ],
    en: [
      '[add|give|award] {points} points to {m_en} [for {reason}|as compensation|for birthday|]',
      '[deduct|remove|subtract] {points} points from {m_en} [for a redemption|]',
      '{m} add {points} points {reason}',
    ],
  },
  'work.today': {
    audience: 'staff',
    zh: [
      '今天[要|需要|该][回访|跟进|联系|打电话给][谁|哪些人|哪些会员|哪些客户|几个人]',
      '[今天|今日|今天的][待办|任务|要做的事|工作|回访任务|跟进任务][有哪些|是什么|有啥|清单|列表|]',
      '[哪些|有哪些|有几个][工单|单子|售后单][快|要|马上|即将][超时|逾期|到期|过期|超SLA][了|]',
      '[快|要|马上][超时|逾期|到期]的[工单|单子|售后单][有哪些|有几个|列一下|]',
      '[今天|今日][有|][哪些|多少|几个][待跟进|待回访|该跟进|要回访][的|][会员|客户|人]',
      '[我|我们][今天|今日][该|要][干啥|做什么|做啥|忙什么|跟进谁]',
      '[待跟进|待回访|要跟进][的|][会员|客户|名单|清单|列表][有哪些|给我看看|]',
      '[超时|逾期|超SLA|快超时][的|][工单|单子][有哪些|有没有|几个|]',
      '[今天|今日][的|][回访|跟进][名单|列表|清单]',
      '[有没有|有啥|还有什么][工单|单子][快超时|要超时|没处理|待处理][了|的|]',
      '[早上好|早][，|,| ]今天[有什么|有啥|要做的]',
      '[今天|今儿|今儿个|今日][要|得|该][给谁|找谁][打|][回访电话|回访|电话]',
      '[回访|跟进|待办|待回访|要回访的|回访名单][ |][今天|今日|今儿]',
      '[今天|今日][ |][回访|跟进|待办|回访谁|跟进谁|要跟进的]',
      '[超时|快超时|逾期|快到期][ |][工单|单|单子|的单]',
      '[哪几个|哪些|几个][工单|单子][快到时间了|快到点了|时间快到了|快到期了]',
    ],
    en: [
      '[who|which members] [do I|should I] [follow up|call back|contact] today',
      "[today's|my] [follow-ups|to-do list|tasks|todo]",
      'which tickets are [about to breach|close to|near] [SLA|the deadline|overdue]',
      '[overdue|breaching|at-risk] tickets',
      'what [do I have|is on my plate|should I do] today',
      '今天 follow up 谁',
    ],
  },
};
