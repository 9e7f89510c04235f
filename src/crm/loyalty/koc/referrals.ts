import { recordChanges, txSql, type AnyTx } from '../../kernel/index.ts';

/** A referral code as stored (`K00000123`): trimmed, upper case. */
export const normalizeReferralCode = (code: string) => code.trim().toUpperCase();

/**
 * The KOCs holding these referral codes: normalised code → the KOC's member id (a code no KOC
 * holds is absent). writeReferral's own look-up; the member import asks it first, so an
 * unknown code is reported on its row before anything is written.
 */
export async function kocsByReferralCode(tx: AnyTx, codes: string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(codes.map(normalizeReferralCode))];
  if (!wanted.length) return new Map();
  const rows = await txSql(tx).rows(`SELECT referral_code, member_id FROM koc_profiles WHERE referral_code IN (${wanted.map(() => '?').join(', ')})`, wanted);
  return new Map(rows.map((r) => [String(r.referral_code), Number(r.member_id)]));
}

/**
 * The one writer of koc_referrals: a referral by a KOC (found by referral code) — the referred
 * member, and when an order redeemed it, the order and the commission — with a change-feed row
 * for the KOC in the same transaction (their referral count and earnings are synced,
 * docs/sync.md). Null when no KOC has the code (the caller says so in its own words).
 */
export async function writeReferral(
  tx: AnyTx,
  r: { referralCode: string; referredMemberId?: number | null; orderId?: number | null; commission?: string; at: Date },
): Promise<{ id: number; kocMemberId: number } | null> {
  const sql = txSql(tx);
  const kocMemberId = (await kocsByReferralCode(tx, [r.referralCode])).get(normalizeReferralCode(r.referralCode));
  if (kocMemberId === undefined) return null;
  await sql.run('INSERT INTO koc_referrals (koc_member_id, referred_member_id, order_id, redeemed_at, commission, created_at) VALUES (?, ?, ?, ?, ?, ?)', [kocMemberId, r.referredMemberId ?? null, r.orderId ?? null, r.orderId ? r.at : null, r.commission ?? '0', r.at]);
  const [row] = await sql.rows('SELECT LAST_INSERT_ID() AS id', []);
  const id = Number(row!.id);
  await recordChanges(tx, r.at, [{ object: 'koc_referral', id, memberId: kocMemberId }]);
  return { id, kocMemberId };
}
