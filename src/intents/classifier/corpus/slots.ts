/**
 * Values the templates' {slot} placeholders are filled with. The classifier sees identifiers and
 * numbers as placeholders (features.ts), so these mostly vary the words around them: names of
 * every length, tags, periods written many ways, stores by full and short name.
 */
export const SLOT_VALUES: Record<string, readonly string[]> = {
  name: ['张伟', '李娜', '王芳', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周杰', '吴敏', '林晓雯', '欧阳娜娜', '王小明', '马云飞', '孙丽', '郭靖', '何晓', '高远', '罗琳', '梁朝伟', '谢娜', '宋佳', '唐嫣', '许晴', '韩梅梅', '李雷', '张三', '王老板', '陈姐', '刘阿姨', '小王', '老李'],
  name_en: ['Zhang Wei', 'Li Na', 'Wang Fang', 'Chen Jing', 'Lily', 'Tom Lee', 'Amy', 'Liu Yang', 'Jack Ma', 'Kevin'],
  phone: ['13800000001', '138 0000 0004', '139-1234-5678', '15988887777', '+86 13712345678', '18600001111', '13500002222', '17712340000'],
  memberNo: ['M00000001', 'M00000005', 'm00000023', 'M00001234', 'M00000002', 'M10000008'],
  tag: ['VIP', 'vip', '高价值', '爱吃辣', '家庭客', '生日月', '投诉过', '商务宴请', '流失风险', '新客', '老客', '高价值客户', '召回中', '重点客户', '宝妈', '学生党'],
  period: ['最近30天', '近三个月', '上个月', '上周', '这周', '本月', '今年', '去年', '最近一周', '近90天', '过去半年', '本季度', '10月', '昨天', '最近7天', '近两周'],
  period_en: ['last month', 'last week', 'this month', 'the last 30 days', 'past 90 days', 'this year', 'this quarter', 'in October', 'yesterday', 'last 7 days'],
  days: ['30天', '60天', '90天', '120天', '半年', '三个月', '两个月', '一百天', '180天', '45天'],
  amount: ['20元', '30块', '50元', '¥20', '100元', '五十块', '10块钱', '88元', '200块', '15元'],
  amount_en: ['20 yuan', '¥30', '50 rmb', '10 yuan', '¥100'],
  spend: ['500元', '1000块', '2000元', '300', '1万', '5000元', '800块'],
  n: ['前10', '前20', '前十', '前五个', '10个', '20位', '前三十名', 'top 10', '50个', '前100'],
  count: ['10', '20', '5', '50', '3', '100'],
  points: ['100', '200', '50', '500', '1000', '两百', '一千', '300', '88', '20'],
  store: ['徐汇店', '静安店', '西湖店', '上海徐汇店', '上海静安店', '杭州西湖店', '徐汇', '静安', '西湖', '本店', '我们店', '总店', '二店'],
  level: ['3级', '三级', 'L2', 'VIP3', '5级', '二级', '金卡', '银卡', '钻石卡', '4级', '等级1'],
  ticket: ['T20261121000001', 'T20261103000042', 't20261015000007', 'T20260901000123'],
  metric: ['复购率', '流失率', '留存率', '客单价', '新增会员', '活跃会员', '沉睡会员', '会员增长', '新客数', '回头率', '复购', '留存', '人均消费', '活跃度', '沉睡率', '新会员数', '平均客单', '客单', '单均', '复购情况', '留存率', '保留率', '留客率', '流失比例', '回店率', '笔单价', '人均客单'],
  metric_en: ['repurchase rate', 'churn rate', 'retention', 'average order value', 'AOV', 'new members', 'active members', 'dormant members', 'member growth'],
  note: ['来电投诉上菜慢', '到店咨询年夜饭套餐', '微信咨询包间预订', '参加了周末品鉴会', '表扬服务员小王', '反映菜太咸', '想订生日宴', '问了储值卡活动', '说下次带朋友来', '投诉停车难', '回访满意', '电话沟通 下周再联系', '客户说孩子过敏 不要花生', '咨询会员卡怎么升级'],
  note_en: ['called to complain the dishes came late', 'asked about the New Year set menu', 'joined the tasting event', 'praised the waiter', 'wants to book a birthday dinner', 'follow-up call went fine'],
  issue: ['包间空调坏了', '会员卡无法使用', '外卖少送一份', '菜里有头发', '发票开错了', '积分没到账', '优惠券用不了', '多扣了钱', '储值卡余额不对', '预订被取消了', '餐具破损', '停车券没给'],
  issue_en: ['the card does not work', 'missing item in delivery', 'charged twice', 'points not credited', 'coupon cannot be used', 'air conditioner broken'],
  reason: ['消费奖励', '投诉补偿', '生日礼', '活动奖励', '兑换饮品', '系统补录', '误操作扣回', '推荐新客奖励'],
  seg: ['高价值沉睡会员', '五月寿星', 'VIP-A', '近30天新客', '爱吃辣的老客', '高复购', '静安店活跃会员', '储值客户'],
  cond: ['最近90天没消费 且 累计消费大于2000', '等级>3 且 最近30天消费>500元', '5月生日', '累计消费超过1000 有VIP标签', '近半年消费3次以上', '注册30天内的新客', '60天没来过的老客'],
  staff: ['客服小刘', '小王', '李经理', '张强', '黄丽', '店长'],
  ticketStatus: ['已解决', '处理中', '关闭', '关单', '重新打开', '升级', '修好了', '处理好了', '已处理', '受理'],
};

/** Every {slot} a template may use; the corpus test checks templates name only these. */
export const SLOT_NAMES = [...Object.keys(SLOT_VALUES), 'm', 'm_en'] as const;
