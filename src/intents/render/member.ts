import { formatDate, formatYuan } from '../../crm/kernel/index.ts';
import type { MemberBrief, MemberSearch, MemberSummary } from '../../crm/customers/index.ts';

/**
 * Member replies as plain text with line breaks (WeCom text messages and the console show the
 * same thing). Phones arrive already masked by the CRM layer where the role requires it.
 */

const BY_LABEL: Record<MemberSearch['by'], string> = { phone: '手机号', memberNo: '会员号', name: '姓名' };
const GENDER: Record<string, string> = { male: '男', female: '女', unknown: '' };
const STATUS: Record<string, string> = { active: '', frozen: '（已冻结）', deleted: '（已注销）' };
const num = (n: number) => n.toLocaleString('en-US');
const TICKET_STATUS: Record<string, string> = { open: '待处理', in_progress: '处理中', resolved: '已解决', closed: '已关闭' };

export const memberLabel = (m: Pick<MemberBrief, 'name' | 'memberNo'>) => `${m.name}（${m.memberNo}）`;

/** One line per member of a short list. */
export function memberLine(m: MemberBrief, i: number): string {
  return `${i + 1}. ${m.name} ${m.memberNo} ${m.phone}${m.homeStore ? ` ${m.homeStore}` : ''}${STATUS[m.status] ?? ''}`;
}

/**
 * No match, a malformed identifier, or several matches where one is needed. The wording is the
 * same whether the member does not exist or belongs to another store: nothing leaks.
 */
export function renderUnresolved(search: MemberSearch): string {
  if (!search.valid) {
    return search.by === 'phone'
      ? `「${search.query}」不是有效的手机号（11 位，1 开头），请核对后再试。`
      : `「${search.query}」不是有效的会员号（如 M00000001），请核对后再试。`;
  }
  if (search.total === 0) {
    return `在你可查看的门店里没有找到${BY_LABEL[search.by]}为「${search.query}」的会员。\n可以换手机号、会员号（如 M00000001）或姓名再试。`;
  }
  const more = search.total > search.members.length ? `，显示前 ${search.members.length} 位` : '';
  return [`找到 ${search.total} 位${BY_LABEL[search.by]}匹配「${search.query}」的会员${more}：`, ...search.members.map(memberLine), '请用手机号或会员号指定其中一位。'].join('\n');
}

/** member.lookup's answer: a short card for one match, a short list for several. */
export function renderLookup(search: MemberSearch): string {
  const m = search.total === 1 ? search.members[0] : undefined;
  if (!m) return renderUnresolved(search);
  return [
    `${memberLabel(m)}${STATUS[m.status] ?? ''}`,
    `手机 ${m.phone} · 等级 L${m.level} · 积分 ${num(m.points)}`,
    `所属门店 ${m.homeStore ?? '未绑定'}`,
    `发送「${m.memberNo} 详情」查看完整档案。`,
  ].join('\n');
}

/** member.summary's card: who, value, rhythm, tags, last orders. */
export function renderSummary(s: MemberSummary): string {
  const m = s.member;
  const who = [m.phone, GENDER[m.gender], m.birthday ? `生日 ${formatDate(m.birthday).slice(5)}` : ''].filter(Boolean).join(' · ');
  const last = s.lastOrderAt ? `上次消费 ${formatDate(s.lastOrderAt)}（${s.daysSinceLastOrder === 0 ? '今天' : `${s.daysSinceLastOrder} 天前`}）` : '还没有消费记录';
  const lines = [
    `【会员档案】${memberLabel(m)}${STATUS[m.status] ?? ''}`,
    `手机 ${who}`,
    `等级 L${m.level} · 积分 ${num(m.points)} · 成长值 ${num(m.growthValue)}`,
    `门店 ${m.homeStore ?? '未绑定'} · ${formatDate(m.registeredAt)} 注册（${m.sourceChannel}）`,
    `消费 ${s.orderCount} 笔 · 累计 ${formatYuan(s.totalSpend)}`,
    last,
    `标签 ${s.tags.length ? s.tags.map((t) => t.name).join('、') : '无'}`,
  ];
  // The service side of the 360 view: what an agent should know before calling.
  if (s.levelName) lines[2] = `等级 L${m.level} ${s.levelName} · 积分 ${num(m.points)} · 成长值 ${num(m.growthValue)}`;
  if (s.koc) lines.push(`KOC L${s.koc.level} · 推荐 ${s.koc.referrals} 人 · 核销 ${s.koc.redemptions} 次 · 收益 ${formatYuan(s.koc.earnings)}`);
  if (s.openTickets.length) {
    lines.push(`未结工单 ${s.openTickets.length} 张：`);
    for (const t of s.openTickets) lines.push(`· ${t.ticketNo} ${TICKET_STATUS[t.status] ?? t.status} ${t.title}${t.overdue ? ' ⚠超时' : ''}`);
  }
  if (s.recentComplaints.length) {
    lines.push(`近 90 天投诉 ${s.recentComplaints.length} 次：`);
    for (const c of s.recentComplaints) lines.push(`· ${formatDate(c.createdAt)} ${c.content}${c.ticketNo ? `（${c.ticketNo}）` : ''}`);
  }
  if (s.pendingFollowUps) lines.push(`待跟进 ${s.pendingFollowUps} 项`);
  if (s.recentOrders.length) {
    lines.push(`最近 ${s.recentOrders.length} 笔订单：`);
    for (const o of s.recentOrders) lines.push(`· ${formatDate(o.paidAt)} ${formatYuan(o.amount)} ${o.store}`);
  }
  return lines.join('\n');
}
