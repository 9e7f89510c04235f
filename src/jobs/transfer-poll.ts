/**
 * Tracks customer transfers to completion: every 15 minutes, transfer_result for each pair with
 * customers still waiting (WeCom takes a customer over 24 h after the request unless they
 * refuse), then a report to the manager for each batch now settled (src/crm/contacts).
 */
import { weComClientOf } from '../channels/wecom/index.ts';
import { pollTransfers } from '../crm/contacts/index.ts';
import type { Services } from '../services.ts';
import { startRepeatable } from './repeatable.ts';
import { queueTransferReports } from './transfer-report.ts';

export const TRANSFER_POLL_EVERY_MS = 15 * 60_000;

export async function runTransferPoll(services: Services): Promise<number> {
  const reports = await pollTransfers(services, weComClientOf(services).contacts);
  await queueTransferReports(services, reports);
  return reports.length;
}

export const startTransferPoll = (services: Services) => startRepeatable(services, { queue: 'wecom-transfer-poll', everyMs: TRANSFER_POLL_EVERY_MS, run: () => runTransferPoll(services) });
