/**
 * Loyalty: membership levels, points and their ledger, coupons, KOC referrals, and a member's
 * own view of them (self service).
 * Owns: membership_levels, member_level_history, points_ledger, member_coupons, koc_profiles,
 * koc_referrals.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { issueCoupon, issueCoupons, type CouponIssue } from './coupons.ts';
export { kocLeaderboard, kocStats } from './koc/index.ts';
export { kocFigures } from './koc/figures.ts';
export { kocsByReferralCode, normalizeReferralCode, writeReferral } from './koc/referrals.ts';
export { eraseLoyaltyRecords, moveLoyaltyRecords, recordOpeningBalances } from './member-moves.ts';
export { referralCode } from './koc/referral-code.ts';
export { type KocStats } from './koc/stats.ts';
export { reviewMemberLevel } from './membership/change.ts';
export { loyaltyRules, orderLoyalty, type LoyaltyRules, type OrderLoyalty, type PaidOrderFacts } from './order-effects.ts';
export { enrolMember, levelHistory, listLevels, memberLevelStatus, setMemberLevel, upsertLevel } from './membership/index.ts';
export { type MemberLevelStatus } from './membership/status.ts';
export { expireDuePoints, expiryRuleSchema, expiryRuleSetting, setExpiryRule } from './points/expiry.ts';
export { POINTS_CONFIRM_LIMIT, pointsChangeNeedsConfirmation, adjustPoints, pointsHistory } from './points/index.ts';
export { appendLedger } from './points/ledger.ts';
export { pointsFor, reverseOrdersPoints, type RefundPointsInput } from './points/order-points.ts';
export { myAccount, myCoupons, myOrders } from './self/account.ts';
