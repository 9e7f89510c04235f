/**
 * The quota ledger of journey sends (./ledger.ts) and the 群发 cap setting (./mass-cap.ts).
 * Owns no table: each rule is counted where it already is (journey_frequency, the journey log,
 * mp_subscriptions through the sender port, the kernel rate limiter, the channels' own counts
 * through the allowance port: ./allowances.ts).
 */
export { REPLY_CHANNELS, type AllowanceAnswer, type ChannelAllowance, type ChannelAllowances, type ReplyChannel } from './allowances.ts';
export { decide, decideReply, quietDecision, QUOTA_REASONS, type QuotaAsk, type QuotaDecision, type QuotaReason } from './ledger.ts';
export { DEFAULT_MASS_CAP, getMassCap, massCapSchema, massCapSetting, massPeriod, setMassCap, type MassCap } from './mass-cap.ts';
