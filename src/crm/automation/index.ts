/**
 * Automation: journeys (versioned definitions run on BullMQ), recalls launched from chat, staff
 * alerts and the scheduled CRM upkeep.
 * Owns: journeys, journey_versions, journey_enrollments, journey_step_executions,
 * journey_frequency, recalls.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { churnDigest, journeyFailureAlerts, reportSyncFailure, slaBreaches } from './alerts/alerts.ts';
export { TRIGGER_TYPES, parseJourneyDefinition } from './journeys/definition.ts';
export { createJourneyDeps, type JourneyDeps, type MassTracked, type OutboundMessage, type OutboundSender, type OutboundSenders, type Reconciled, type SendResult } from './journeys/deps.ts';
export { type JourneyJob } from './journeys/job.ts';
export { processStep, type StepMemo } from './journeys/engine.ts';
export { type JobHistory } from './journeys/delivery.ts';
export { applyOutcome, applyOutcomes, enrollMembers, liveBatchesKey } from './journeys/schedule.ts';
export { BATCH_MEMBERS, createSendGate, processBatch, type BatchOutcome, type SendGate } from './journeys/batch.ts';
export { requeueEnrollments, resumeOrphans, type RequeueResult } from './journeys/requeue.ts';
export { automationLogs, journeyStats } from './journeys/stats.ts';
export { journeysOnSegment } from './journeys/segment-use.ts';
export { createJourney, deleteJourney, getJourney, listJourneys, readJourney, setJourneyStatus, updateJourney, type JourneyInfo } from './journeys/store.ts';
export { TEMPLATES, installTemplates } from './journeys/templates.ts';
export { emitTrigger, emitTriggers, eventTriggers, scanTriggers } from './journeys/triggers.ts';
export { runCrmMaintenance } from './maintenance.ts';
export { decideReply, getMassCap, massCapSchema, massCapSetting, setMassCap, QUOTA_REASONS, type AllowanceAnswer, type ChannelAllowance, type ChannelAllowances, type MassCap, type QuotaDecision, type QuotaReason } from './quota/index.ts';
export { CONVERSION_DAYS, recentRecalls, type RecallStatus } from './recall/status.ts';
export { reattributeRecalls } from './recall/order-attribution.ts';
export { describeExclusions, type RecallExclusions } from './recall/guard.ts';
export { getRecall, listRecalls, type RecallItem, type RecallState } from './recall/list.ts';
export { mayStop, stopRecall, type StopResult } from './recall/stop.ts';
export { audienceLabel, checkRecall, launchRecall, previewRecall, previewRecallAudience, recallAttribution, recallAudience, recallDefinition, requeueRecallFollowUps, type RecallAudience, type RecallCounts, type RecallPlan, type RecallPreview } from './recall/recall.ts';
