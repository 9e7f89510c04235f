import { z } from 'zod';
import { weComClientOf } from '../channels/wecom/index.ts';
import { planTransfer, startTransfer, type TransferPlan } from '../crm/contacts/index.ts';
import { AppError } from '../crm/kernel/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import { failureList } from '../jobs/transfer-report.ts';
import type { Services } from '../services.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { TRANSFER_PHRASES, transferParties } from './slots/transfer-parties.ts';

function contactsApi(services: Services) {
  const { WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID } = services.config;
  if (!WECOM_CORP_ID || !WECOM_SECRET || !WECOM_AGENT_ID) throw new AppError('contacts_not_configured', '企业微信客户联系未配置（需要 WECOM_CORP_ID、WECOM_SECRET、WECOM_AGENT_ID）。');
  return weComClientOf(services).contacts;
}

function skippedText(lang: Lang, plan: TransferPlan): string {
  const reasons = [
    ...(plan.tooFrequent.length ? [t(lang, 'contacts.transfer.tooFrequent', { n: plan.tooFrequent.length })] : []),
    ...(plan.inProgress.length ? [t(lang, 'contacts.transfer.inProgress', { n: plan.inProgress.length })] : []),
  ];
  return reasons.length ? t(lang, 'contacts.transfer.skipped', { n: plan.tooFrequent.length + plan.inProgress.length, reasons: reasons.join(lang === 'zh' ? '，' : ', ') }) : '';
}

/** The speaker as a party ("她的客户转给我", "transfer them to me"): their own WeCom userid, which the domain looks up like a name. */
const SELF = /^(?:我|我自己|自己|本人|me|myself)$/i;
const asParties = (self: string, p: { from: string; to: string }) => ({ from: SELF.test(p.from.trim()) ? self : p.from, to: SELF.test(p.to.trim()) ? self : p.to });

/**
 * A staff member's WeCom customers handed to another (在职继承 while employed, 离职继承 once they
 * left; src/crm/contacts/transfer.ts). A mass action: previewed with the count and held until
 * the same manager confirms; the answer names customers refused at once, and the manager is
 * told when WeCom has settled the rest (src/jobs/transfer-poll.ts).
 */
export const contactsTransfer = defineIntent({
  name: 'contacts.transfer',
  audience: 'staff',
  description: "Transfer all WeCom customers of one staff member (still employed or departed) to another staff member; needs confirmation.",
  title: '转接员工的企业微信客户',
  permission: 'contacts.manage',
  effect: 'write',
  slots: z.object({
    from: z.string().min(1).max(32).describe('the staff member (name or WeCom userid) whose customers are handed over'),
    to: z.string().min(1).max(32).describe('the staff member (name or WeCom userid) who takes them over'),
  }),
  examples: [
    { text: '把张伟的客户转给李娜', slots: { from: '张伟', to: '李娜' } },
    { text: "transfer Zhang Wei's customers to Li Na", slots: { from: 'Zhang Wei', to: 'Li Na' } },
    { text: '把黄丽的企业微信客户全部转交给李娜', slots: { from: '黄丽', to: '李娜' } },
  ],
  rule: {
    keywords: [[/[把将].{1,16}的(?:所有|全部)?(?:企业?微信|企微)?客户/, /转给|转交给|交接给|分配给|转移给|移交给/], [/\btransfer\b/i, /\bcustomers\s+to\b/i], ...TRANSFER_PHRASES],
    requires: [['from'], ['to']],
    derive: (text) => transferParties(text),
    priority: 9,
  },
  async confirm(ctx, slots) {
    const access = staffAccess(ctx);
    const plan = await planTransfer(access, asParties(access.actor.wecomUserId, slots));
    if (!plan.customers.length) return null; // run() says there is nothing to transfer
    return t(ctx.lang, 'contacts.transfer.preview', {
      from: plan.from.name,
      to: plan.to.name,
      count: plan.customers.length,
      kind: t(ctx.lang, `contacts.transfer.kind.${plan.kind}`),
      skipped: skippedText(ctx.lang, plan),
    }).trim();
  },
  async run(ctx, slots) {
    const access = staffAccess(ctx);
    const parties = asParties(access.actor.wecomUserId, slots);
    const plan = await planTransfer(access, parties);
    if (!plan.customers.length && !plan.tooFrequent.length) return { text: t(ctx.lang, 'contacts.transfer.none', { from: plan.from.name, skipped: skippedText(ctx.lang, plan) }).trim() };
    const r = await startTransfer(access, contactsApi(ctx.services), parties);
    const failed = r.failed.length ? t(ctx.lang, 'contacts.transfer.failedHead', { n: r.failed.length, list: failureList(ctx.lang, r.failed.map((f) => ({ name: f.name, status: 'failed', errcode: f.errcode }))) }) : '';
    return {
      text: t(ctx.lang, 'contacts.transfer.started', { from: r.plan.from.name, to: r.plan.to.name, started: r.started, failed }).trim(),
      data: { batch: r.batch, kind: r.plan.kind, started: r.started, failed: r.failed },
      outcome: r.started > 0 ? 'done' : undefined,
    };
  },
});
