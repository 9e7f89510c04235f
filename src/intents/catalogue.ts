import { churnList } from './churn-list.ts';
import { insightsHealth } from './insights-health.ts';
import { insightsRfm } from './insights-rfm.ts';
import { insightsModels } from './insights-models.ts';
import { createHelpIntent } from './help.ts';
import { memberLookup } from './member-lookup.ts';
import { memberSummary } from './member-summary.ts';
import { tagAdd } from './tag-add.ts';
import { tagRemove } from './tag-remove.ts';
import type { IntentDef } from './types.ts';
import { interactionLog } from './interaction-log.ts';
import { kocStatsIntent } from './koc-stats.ts';
import { syncStatusIntent } from './sync-status.ts';
import { memberInteractions } from './member-interactions.ts';
import { memberLevel } from './member-level.ts';
import { memberTickets } from './member-tickets.ts';
import { pointsAdjust } from './points-adjust.ts';
import { ticketCreate } from './ticket-create.ts';
import { ticketUpdate } from './ticket-update.ts';
import { actionCancel, actionConfirm } from './action-confirm.ts';
import { memberOrdersIntent } from './member-orders.ts';
import { tagBatch } from './tag-batch.ts';
import { contactsTransfer } from './contacts-transfer.ts';
import { createMyHelpIntent } from './member/my-help.ts';
import { myCouponsIntent } from './member/my-coupons.ts';
import { myLevel } from './member/my-level.ts';
import { myOrdersIntent } from './member/my-orders.ts';
import { myPoints } from './member/my-points.ts';
import { unsubscribe } from './member/unsubscribe.ts';
import { handoff } from './member/handoff.ts';
import { segmentCount } from './segment-count.ts';
import { segmentCreate } from './segment-create.ts';
import { segmentExport } from './segment-export.ts';
import { recallLaunch } from './recall-launch.ts';
import { membersQuery } from './members-query.ts';
import { recallStatusIntent } from './recall-status.ts';
import { recallListIntent } from './recall-list.ts';
import { recallStopIntent } from './recall-stop.ts';
import { workToday } from './work-today.ts';
import { myTickets } from './member/my-tickets.ts';
import { createSmalltalkIntent } from './smalltalk.ts';

/**
 * Every intent, declared once; the rule router, the help text (and the LLM tool list) are
 * derived from this list. Adding an intent is adding its file and one line here.
 */
export const intents: readonly IntentDef[] = [
  createHelpIntent(() => intents),
  memberLookup,
  memberSummary,
  tagAdd,
  tagRemove,
  churnList,
  // value models and the store health dashboard
  insightsHealth,
  insightsRfm,
  insightsModels,
  // one-sentence recall (confirmed through action.confirm)
  recallLaunch,
  // segments (人群包)
  segmentCreate,
  segmentCount,
  segmentExport,
  // orders, batch tagging with confirmation, confirm/cancel, and the member audience
  memberOrdersIntent,
  tagBatch,
  // WeCom customer contacts: a staff member's customers handed to another (confirmed)
  contactsTransfer,
  actionConfirm,
  actionCancel,
  createMyHelpIntent(() => intents),
  myPoints,
  myLevel,
  myOrdersIntent,
  myCouponsIntent,
  unsubscribe,
  handoff,
  // the service side of the 360 view
  memberTickets,
  memberInteractions,
  memberLevel,
  interactionLog,
  ticketCreate,
  ticketUpdate,
  pointsAdjust,
  kocStatsIntent,
  syncStatusIntent,
  // what staff ask for day to day: ad-hoc counts, recall progress, today's work; members' own tickets
  membersQuery,
  recallStatusIntent,
  // the recalls one may see, and stopping one (a control action, confirmed)
  recallListIntent,
  recallStopIntent,
  workToday,
  myTickets,
  // thanks, compliments, chit-chat: one polite line and two examples, per audience
  createSmalltalkIntent('staff', () => intents),
  createSmalltalkIntent('member', () => intents),
];

const byName = new Map(intents.map((i) => [i.name, i]));

export function getIntent(name: string): IntentDef | undefined {
  return byName.get(name);
}
