import { formatDate, formatYuan } from '../../crm/kernel/index.ts';
import type { MemberBrief, MemberSearch, MemberSummary } from '../../crm/customers/index.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { ticketStatusLabel } from './service.ts';

/**
 * Member replies as plain text with line breaks (WeCom text messages and the console show the
 * same thing), in the asker's language (src/i18n/messages/members.ts). Phones arrive already
 * masked by the CRM layer where the role requires it.
 */

const num = (n: number) => n.toLocaleString('en-US');
/** "（已冻结）" / " (frozen)"; nothing for an active member. */
const statusOf = (status: string, lang: Lang) => (status === 'frozen' || status === 'deleted' ? t(lang, `members.status.${status}`) : '');
const genderOf = (gender: string, lang: Lang) => (gender === 'male' || gender === 'female' ? t(lang, `members.gender.${gender}`) : '');

export const memberLabel = (m: Pick<MemberBrief, 'name' | 'memberNo'>, lang: Lang = 'zh') => t(lang, 'members.label', { name: m.name, memberNo: m.memberNo });

/** One line per member of a short list. */
export function memberLine(m: MemberBrief, i: number, lang: Lang = 'zh'): string {
  return t(lang, 'members.line', { i: i + 1, name: m.name, memberNo: m.memberNo, phone: m.phone, store: m.homeStore ? ` ${m.homeStore}` : '', status: statusOf(m.status, lang) });
}

/**
 * No match, a malformed identifier, or several matches where one is needed. The wording is the
 * same whether the member does not exist or belongs to another store: nothing leaks.
 */
export function renderUnresolved(search: MemberSearch, lang: Lang = 'zh'): string {
  if (!search.valid) return t(lang, search.partialPhone ? 'members.partialPhone' : search.by === 'phone' ? 'members.badPhone' : 'members.badMemberNo', { query: search.query });
  const by = t(lang, `members.by.${search.by}`);
  if (search.total === 0) return t(lang, 'members.notFound', { by, query: search.query });
  const more = search.total > search.members.length ? t(lang, 'members.severalMore', { shown: search.members.length }) : '';
  return [t(lang, 'members.several', { count: search.total, by, query: search.query, more }), ...search.members.map((m, i) => memberLine(m, i, lang)), t(lang, 'members.pickOne')].join('\n');
}

/** member.lookup's answer: a short card for one match, a short list for several. */
export function renderLookup(search: MemberSearch, lang: Lang = 'zh'): string {
  const m = search.total === 1 ? search.members[0] : undefined;
  if (!m) return renderUnresolved(search, lang);
  return [
    `${memberLabel(m, lang)}${statusOf(m.status, lang)}`,
    t(lang, 'members.card.contact', { phone: m.phone, level: m.level, points: num(m.points) }),
    t(lang, 'members.card.store', { store: m.homeStore ?? t(lang, 'members.noStore') }),
    t(lang, 'members.card.more', { memberNo: m.memberNo }),
  ].join('\n');
}

/** member.summary's card: who, value, rhythm, tags, last orders. */
export function renderSummary(s: MemberSummary, lang: Lang = 'zh'): string {
  const m = s.member;
  const who = [m.phone, genderOf(m.gender, lang), m.birthday ? t(lang, 'members.summary.birthday', { date: formatDate(m.birthday).slice(5) }) : ''].filter(Boolean).join(' · ');
  const ago = s.daysSinceLastOrder === 0 ? t(lang, 'members.summary.today') : t(lang, 'members.summary.daysAgo', { count: s.daysSinceLastOrder });
  const last = s.lastOrderAt ? t(lang, 'members.summary.last', { date: formatDate(s.lastOrderAt), ago }) : t(lang, 'members.summary.noOrders');
  const figures = { level: m.level, levelName: s.levelName, points: num(m.points), growth: num(m.growthValue) };
  const lines = [
    t(lang, 'members.summary.head', { label: memberLabel(m, lang), status: statusOf(m.status, lang) }),
    t(lang, 'members.summary.phone', { who }),
    // The service side of the 360 view names the level when the level table has it.
    t(lang, s.levelName ? 'members.summary.levelNamed' : 'members.summary.level', figures),
    t(lang, 'members.summary.store', { store: m.homeStore ?? t(lang, 'members.noStore'), date: formatDate(m.registeredAt), source: m.sourceChannel }),
    t(lang, 'members.summary.spend', { count: s.orderCount, total: formatYuan(s.totalSpend) }),
    last,
    t(lang, 'members.summary.tags', { tags: s.tags.length ? s.tags.map((x) => x.name).join(lang === 'zh' ? '、' : ', ') : t(lang, 'members.summary.noTags') }),
  ];
  // What an agent should know before calling.
  if (s.koc) lines.push(t(lang, 'members.summary.koc', { level: s.koc.level, referrals: s.koc.referrals, redemptions: s.koc.redemptions, earnings: formatYuan(s.koc.earnings) }));
  if (s.openTickets.length) {
    lines.push(t(lang, 'members.summary.openTickets', { count: s.openTickets.length }));
    for (const x of s.openTickets) lines.push(t(lang, 'members.summary.ticket', { ticketNo: x.ticketNo, status: ticketStatusLabel(x.status, lang), title: x.title, overdue: x.overdue ? t(lang, 'members.summary.overdue') : '' }));
  }
  if (s.recentComplaints.length) {
    lines.push(t(lang, 'members.summary.complaints', { count: s.recentComplaints.length }));
    for (const c of s.recentComplaints) lines.push(`· ${formatDate(c.createdAt)} ${c.content}${c.ticketNo ? (lang === 'zh' ? `（${c.ticketNo}）` : ` (${c.ticketNo})`) : ''}`);
  }
  if (s.pendingFollowUps) lines.push(t(lang, 'members.summary.followUps', { count: s.pendingFollowUps }));
  if (s.recentOrders.length) {
    lines.push(t(lang, 'members.summary.recentOrders', { count: s.recentOrders.length }));
    for (const o of s.recentOrders) lines.push(`· ${formatDate(o.paidAt)} ${formatYuan(o.amount)} ${o.store}`);
  }
  return lines.join('\n');
}
