/** Points: the append-only ledger, adjustments, expiry (crm_settings points.expiry), history. */
export { adjustPoints, POINTS_CONFIRM_LIMIT, pointsChangeNeedsConfirmation, type AdjustInput } from './adjust.ts';
export { appendLedger, type LedgerEntry, type LedgerInput, type PointsKind } from './ledger.ts';
export { expireDuePoints, expireMemberPoints, expiryRuleSchema, expiryRuleSetting, getExpiryRule, setExpiryRule, expiryFor, DEFAULT_EXPIRY, type ExpiryRule } from './expiry.ts';
export { pointsHistory } from './history.ts';
