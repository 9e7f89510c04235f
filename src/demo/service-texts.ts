/**
 * What the demo's service records say: short phrases in the words store staff type, per
 * interaction type and ticket type, with the outcome and next step that usually follow.
 */

export interface Phrase {
  content: string;
  outcome: string;
  nextAction: string | null;
}

export const CONSULTATION: readonly Phrase[] = [
  { content: '咨询包间预订', outcome: '已预留包间', nextAction: '到店前一天电话确认' },
  { content: '咨询会员积分怎么用', outcome: '已说明积分兑换规则', nextAction: null },
  { content: '咨询儿童餐和宝宝椅', outcome: '已说明，可提前预留宝宝椅', nextAction: null },
  { content: '咨询外卖配送范围', outcome: '已告知配送范围', nextAction: null },
  { content: '咨询生日宴套餐', outcome: '已发送套餐介绍', nextAction: '三天后回访是否预订' },
  { content: '咨询团餐报价', outcome: '已报价', nextAction: '跟进团餐意向' },
  { content: '咨询营业时间和停车', outcome: '已告知', nextAction: null },
  { content: '咨询新品菜单', outcome: '已发送新品菜单', nextAction: null },
];

export const PRAISE: readonly Phrase[] = [
  { content: '表扬服务员态度热情', outcome: '已转达门店', nextAction: null },
  { content: '夸奖招牌菜味道好', outcome: '已致谢', nextAction: null },
  { content: '表扬上菜快、环境干净', outcome: '已致谢并赠送甜品券', nextAction: null },
  { content: '感谢帮忙布置生日惊喜', outcome: '已致谢', nextAction: '邀请加入会员活动群' },
];

/** A complaint's text is also its ticket's title. */
export const COMPLAINT: readonly Phrase[] = [
  { content: '上菜慢，等了四十分钟', outcome: '已致歉并赠送饮品', nextAction: '回访确认满意度' },
  { content: '菜品偏咸', outcome: '已致歉，反馈后厨', nextAction: '回访确认满意度' },
  { content: '账单多收了服务费', outcome: '已退还差额', nextAction: '回访确认满意度' },
  { content: '菜里有异物', outcome: '已免单并致歉', nextAction: '店长回访' },
  { content: '服务员态度冷淡', outcome: '已致歉，员工已约谈', nextAction: '回访确认满意度' },
  { content: '预订的包间被占用', outcome: '已致歉并赠券', nextAction: '店长回访' },
  { content: '外卖送达时菜已经凉了', outcome: '已部分退款', nextAction: '回访确认满意度' },
];

export const KOC_PROMOTION: readonly Phrase[] = [
  { content: '在朋友圈分享推荐码', outcome: '已登记推广', nextAction: null },
  { content: '在小红书发布探店笔记', outcome: '已登记推广，赠送积分', nextAction: null },
  { content: '带朋友到店并推荐办卡', outcome: '朋友已注册会员', nextAction: null },
  { content: '在大众点评写了好评', outcome: '已登记推广', nextAction: null },
];

export const ACTIVITY_OUTCOME = '已签到参加';

export interface TicketPhrase {
  title: string;
  resolution: string;
}

export const REPAIR: readonly TicketPhrase[] = [
  { title: '包间空调不制冷', resolution: '已维修空调' },
  { title: '座椅损坏刮破衣服', resolution: '已更换座椅并赔偿干洗费' },
  { title: '洗手间水龙头漏水', resolution: '已维修' },
];

export const CONSULTATION_TICKET: readonly TicketPhrase[] = [
  { title: '开具增值税专用发票', resolution: '已开具并邮寄' },
  { title: '会员等级未按消费升级', resolution: '已核实并升级' },
  { title: '积分未到账', resolution: '已补发积分' },
];

export const AFTER_SALES: readonly TicketPhrase[] = [
  { title: '外卖少送一道菜', resolution: '已补送' },
  { title: '团购券无法核销', resolution: '已手工核销' },
  { title: '申请退款：重复支付', resolution: '已原路退款' },
  { title: '储值卡余额不符', resolution: '已核对并补齐' },
];

/** The resolution of a complaint ticket: the complaint's own outcome. */
export function complaintTicket(p: Phrase): TicketPhrase {
  return { title: p.content, resolution: p.outcome };
}
