/**
 * Chinese words as the classifier reads them: for the words of the CRM's requests, the class of
 * meaning the word belongs to (流水, 账单, 小票 → orders; 售后, 报修, 客诉 → ticket). Staff type
 * fragments ("王芳 流水", "客单", "李娜 沟通"): what is left of the request is one object word,
 * often a synonym of the one a template used, and the character n-grams of an unseen synonym
 * share nothing with the template's. The class carries what the templates taught about one
 * word to the others, as `english-words.ts` does for English.
 *
 * Written as general Chinese of a shop's CRM chat (the objects staff ask about and the verbs of
 * each kind of request), not from any evaluation line. Words of two or more characters only,
 * except a few single characters that mean one thing in this domain (券); a class is a feature
 * (`zk:`), so a wrong member costs little, and the model weighs it against the n-grams.
 */
const CLASSES: Readonly<Record<string, readonly string[]>> = {
  orders: ['订单', '单子', '账单', '流水', '消费记录', '消费明细', '购买记录', '买了', '买过', '买啥', '买什么', '购买', '下单', '点过', '点了', '点啥', '吃过', '吃了', '小票', '交易', '购物', '消费过', '花了', '花过'],
  ticket: ['工单', '售后', '报修', '维修', '投诉单', '客诉', '故障', '坏了', '退款', '问题单', '服务单', '报障'],
  note: ['跟进', '沟通', '互动', '来电', '通话', '聊天', '联系记录', '拜访', '交流', '备注', '记录', '来访', '回访记录'],
  points: ['积分', '分数', '积分值', '余额', '剩多少分', '多少分', '几分'],
  level: ['等级', '几级', '级别', '段位', '升级', '降级', '黄金', '白金', '钻石', '银卡', '金卡', '卡级', '会员级'],
  profile: ['档案', '详情', '资料', '画像', '概况', '全貌', '简介', '基本信息', '信息', '全部', '详细', '明细'],
  customer: ['会员', '客户', '顾客', '客人', '熟客', '用户', '消费者', '老顾客'],
  count: ['多少', '几个', '几位', '几人', '人数', '总数', '数量', '有几', '几名', '规模'],
  roster: ['名单', '列表', '清单', '都有谁', '哪些人', '哪几个', '有谁', '是谁'],
  churn: ['流失', '预警', '要走', '快走', '不来了', '没来', '流走', '风险', '离店', '沉睡', '掉了', '很久没'],
  recall: ['召回', '挽回', '唤醒', '回流', '拉回', '挽留', '激活'],
  coupon: ['券', '优惠', '代金', '红包', '折扣', '礼券', '满减'],
  send: ['发送', '推送', '群发', '下发', '发放', '派发', '发出'],
  metric: ['复购', '回购', '客单', '留存', '流失率', '新增', '活跃', '健康度', '指标', '报表', '看板', '趋势', '转化率', '增长', '营收', '销售', '业绩', '营业额', '数据'],
  value: ['分层', '价值', '象限', '分群', '分布', '高价值', '分级', '细分'],
  stop: ['停止', '暂停', '停掉', '关掉', '终止', '叫停', '中止', '撤回', '别发了', '停了'],
  progress: ['进度', '效果', '结果', '成效', '进展', '战果', '反馈', '回来几个', '到哪了', '怎么样了'],
  remove: ['去掉', '删掉', '移除', '撤掉', '去标', '摘掉', '拿掉', '删除', '去除', '取掉'],
  add: ['打上', '标上', '添加', '贴上', '打标', '加上', '打个', '加个', '贴个'],
  tag: ['标签', '标记', '标注'],
  segment: ['人群包', '人群', '客群', '分组', '圈人', '圈选'],
  export: ['导出', '下载', '表格', '导成'],
  today: ['今天', '今日', '待办', '要做', '任务', '到期', '超时', '逾期', '跟进谁', '回访谁', '快到期'],
  referral: ['带客', '推荐', '拉新', '佣金', '分销', '达人', '邀请', '排行', '排名', '榜'],
  sync: ['同步', '对接', '卫瓴'],
  help: ['帮助', '菜单', '功能', '怎么用', '教程', '说明', '指南', '使用'],
  thanks: ['谢谢', '谢了', '多谢', '辛苦', '感谢', '谢啦', '真棒', '厉害'],
  model: ['模型', '预测', '准确', '回测', '算法', '准不准'],
  transfer: ['转给', '交接', '转交', '移交', '接手', '转到'],
};

// One scan per message: every word of every class, longest first (so 多少分 is read before 多少).
const WORDS = [...new Set(Object.values(CLASSES).flat())].sort((a, b) => b.length - a.length);
const SCAN = new RegExp(WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
const CLASS_OF: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [cls, words] of Object.entries(CLASSES)) for (const w of words) m.set(w, [...(m.get(w) ?? []), cls]);
  return m;
})();

/** The classes of meaning of a Han text, in the order their words appear (repeats kept). */
export function chineseClasses(han: string): string[] {
  const out: string[] = [];
  for (const m of han.matchAll(SCAN)) out.push(...(CLASS_OF.get(m[0]) ?? []));
  return out;
}
