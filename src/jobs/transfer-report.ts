/**
 * Tells the manager who asked for a customer transfer how it ended (src/crm/contacts, transfers):
 * a WeCom message through the outbound queue and its outbox, once per batch (job id per batch).
 */
import { queueOutbound } from '../crm/kernel/index.ts';
import type { TransferReport } from '../crm/contacts/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';

const KNOWN_CODES = new Set([40097, 40098, 40099, 40100, 40128, 40129, 84061]);

/** Why one customer was not transferred, in words. */
export function transferReason(lang: Lang, status: string, errcode: number | null): string {
  if (errcode !== null && KNOWN_CODES.has(errcode)) return t(lang, `contacts.reason.${errcode}` as never);
  if (status === 'refused' || status === 'limit' || (status === 'failed' && errcode === null)) return t(lang, `contacts.reason.${status}` as never);
  return t(lang, 'contacts.reason.other', { code: errcode ?? '?' });
}

export const failureList = (lang: Lang, items: { name: string; status: string; errcode: number | null }[]) =>
  items.map((f) => t(lang, 'contacts.transfer.item', { name: f.name, reason: transferReason(lang, f.status, f.errcode) })).join(lang === 'zh' ? '、' : ', ');

export function transferReportText(lang: Lang, r: TransferReport): string {
  const head = t(lang, 'contacts.transfer.reportHead', { from: r.from, to: r.to, done: r.done });
  return r.failures.length ? `${head}\n${t(lang, 'contacts.transfer.reportFailures', { n: r.failures.length, list: failureList(lang, r.failures) })}` : head;
}

export async function queueTransferReports(services: Services, reports: TransferReport[], lang: Lang = 'zh'): Promise<void> {
  for (const r of reports) await queueOutbound(services, 'transfer-report', { channel: 'wecom', to: r.requestedBy, text: transferReportText(lang, r) }, { jobId: `transfer-report-${r.batch}` });
}
