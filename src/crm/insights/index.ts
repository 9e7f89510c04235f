/**
 * Insights: segments (人群包), RFM, churn, CLV models, the store health dashboard and the nightly
 * scoring run that feeds them.
 * Owns: segments, segment_versions, segment_runs, segment_members, member_scores, model_runs, store_score_counts.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { churnAudienceSql, churnList, type ChurnList } from './churn/list.ts';
export { churnAudienceCount } from './churn/audience-count.ts';
export { fitBgNbd } from './clv/bgnbd.ts';
export { fitGammaGamma, type GammaGammaFit } from './clv/gamma-gamma.ts';
export { scoreCustomers } from './clv/score.ts';
export { pearson } from './clv/stats.ts';
export { TransactionLedger } from './clv/summary.ts';
export { TransactionFormat, TransactionParseError, readTransactionFile } from './clv/transactions.ts';
export { CUSTOMER_MODELS, compareCustomerModels, fitCustomerModel, type CustomerModel, type FittedCustomerModel, type ModelComparison } from './clv/compare.ts';
export { modelValidation, type ModelValidation } from './clv/validation.ts';
export { modelReport, type ModelReport } from './scores/model-report.ts';
export { bgBbConditionalExpectedTransactions, bgBbPAlive, fitBgBb } from './clv/bg-bb.ts';
export { fitSbg, sbgRetentionRate, sbgSurvival } from './clv/sbg.ts';
export { healthDashboard, warmHealthCache, type Granularity, type HealthDashboard, type HealthFigures } from './health/dashboard.ts';
export { calendarPeriodOf, MAX_RANGE_DAYS, NAMED_PERIODS, type DateRange, type NamedPeriod } from './health/periods.ts';
export { RFM_CELLS, VALUE_QUADRANTS, type RfmCell, type ValueQuadrant } from './rfm/rfm.ts';
export { DEFAULT_RFM, rfmConfigSchema, type RfmConfig } from './rfm/config.ts';
export { MAX_ANALYSIS_DAYS, rfmAnalysis, rfmAnalysisSchema, type RfmAnalysis, type RfmAnalysisAsk, type RfmGradeStats } from './rfm/analysis.ts';
export { churnConfigSchema, DEFAULT_CHURN, type ChurnConfig } from './churn/config.ts';
export { auc, calibration, confusion, type Calibration, type Confusion } from './churn/metrics.ts';
export { evaluateHoldout, PurchaseDays, type HoldoutReport } from './churn/holdout.ts';
export { churnSettings, rfmSettings, scoringSettings } from './settings.ts';
export { chooseStoreModels, latestStoreModels, recomputeScores, rescoreNow, rfmOverview, runNightlyScoring, runScoring, snapshotMemberCount, type RfmOverview, type Rescore, type SnapshotMemberCount, type StoreModelChoice } from './scores/index.ts';
export { compileWhere } from './segments/compile.ts';
export { DEFAULT_EXPORT_TTL_S, TOKEN_RE, exportLinkKey, exportSegment, purgeOldExports, type ExportFormat, type ExportLink, type ExportResult } from './segments/export.ts';
export { EXPORT_FIELDS as SEGMENT_EXPORT_FIELDS, FIELDS, METRICS, SCORES, type ExportField as SegmentExportField } from './segments/fields.ts';
export { previewTree, type SegmentPreview } from './segments/preview.ts';
export { refreshSegment, type RunResult } from './segments/run.ts';
export { segmentMembers, type SegmentMemberRow } from './segments/members.ts';
export {
  canChange,
  countNewSegment,
  createSegment,
  deleteSegment,
  findSegmentInText,
  getSegment,
  listSegments,
  refreshNow,
  saveSegment,
  segmentHistory,
  segmentRuns,
  updateSegment,
  visibleMemberCount,
  type SegmentInfo,
  type SegmentKind,
  type SegmentVisibility,
} from './segments/segments.ts';
export { OPS, RELATIVE_DAYS, parseSegmentTree, type ActivityCondition, type EventCondition, type Op, type SegmentNode, type SegmentTree, type Value } from './segments/tree.ts';
