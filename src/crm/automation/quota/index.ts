/**
 * The quota ledger of journey sends (./ledger.ts) and the 群发 cap setting (./mass-cap.ts).
 * Owns no table: each rule is counted where it already is (journey_frequency, the journey log,
 * mp_subscriptions through the sender port, the kernel rate limiter).
 */
export { decide, quietDecision, QUOTA_REASONS, type QuotaAsk, type QuotaDecision, type QuotaReason } from './ledger.ts';
export { DEFAULT_MASS_CAP, getMassCap, massCapSchema, massCapSetting, massPeriod, setMassCap, type MassCap } from './mass-cap.ts';
