/** KOC (key opinion consumer) contribution: profile, referrals, redemptions, earnings. */
export { kocStats, kocLeaderboard, enrolKoc, recordReferral, type KocStats } from './stats.ts';
