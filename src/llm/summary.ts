import { humanMessage, systemMessage } from './langchain.ts';
import { formatDate, formatYuan } from '../crm/kernel/index.ts';
import type { MemberSummary } from '../crm/customers/index.ts';
import type { Services } from '../services.ts';
import { complete, llmFor, usageOf, withBudget } from './client.ts';
import { Pseudonyms } from './pseudonymize.ts';

/** The facts of the 360 view an LLM summary may use, one short line each (also shown to staff). */
export function summaryFacts(s: MemberSummary): string[] {
  const m = s.member;
  return [
    `会员 ${m.name}（${m.memberNo}），等级 L${m.level}，积分 ${m.points}`,
    `注册于 ${formatDate(m.registeredAt)}，来源 ${m.sourceChannel}，门店 ${m.homeStore ?? '未绑定'}`,
    `消费 ${s.orderCount} 笔，累计 ${formatYuan(s.totalSpend)}`,
    s.lastOrderAt ? `上次消费 ${formatDate(s.lastOrderAt)}（${s.daysSinceLastOrder} 天前）` : '没有消费记录',
    `标签：${s.tags.length ? s.tags.map((t) => t.name).join('、') : '无'}`,
    ...s.recentOrders.map((o) => `订单 ${formatDate(o.paidAt)} ${formatYuan(o.amount)} ${o.store}`),
  ];
}

const SYSTEM = [
  'You help retail store staff before they contact a member. Write 2 to 4 short lines in Chinese:',
  'what stands out about this member and one concrete suggestion. Use only the facts given; do not invent.',
  'Placeholders such as <NAME_1>, <MEMBER_1>, <PHONE_1> stand for the member: keep them as they are.',
].join(' ');

/**
 * A few lines written by the LLM from the member's 360 facts (member.summary, when an LLM is
 * configured). The facts are pseudonymised before they leave the process and the reply is
 * restored; null when no LLM is configured or it fails or runs out of time (the card alone is
 * the answer then).
 */
export async function llmMemberSummary(services: Services, s: MemberSummary, requestId?: string): Promise<{ text: string; facts: string[] } | null> {
  const model = llmFor(services);
  if (!model) return null;
  const facts = summaryFacts(s);
  const pseudo = new Pseudonyms([s.member.name]);
  const started = Date.now();
  try {
    const res = await withBudget(services.config.LLM_TIMEOUT_MS, (signal) =>
      complete(model, [systemMessage(SYSTEM), humanMessage(pseudo.mask(facts.join('\n')))], signal, model.streaming),
    );
    const text = typeof res.content === 'string' ? res.content.trim() : '';
    services.logger.info({ requestId, llm: { purpose: 'summary', ms: Date.now() - started, ...usageOf(res), outcome: text ? 'ok' : 'empty' } }, 'llm summary');
    return text ? { text: pseudo.unmask(text), facts } : null;
  } catch (e) {
    services.logger.warn({ requestId, llm: { purpose: 'summary', ms: Date.now() - started, outcome: 'error', error: (e as Error).message?.slice(0, 200) } }, 'llm summary failed');
    return null;
  }
}
