/** A KOC's referral code: "K" + the digits of their member number (M00000001 → K00000001). */
export function referralCode(memberNo: string): string {
  return `K${memberNo.slice(1)}`;
}
