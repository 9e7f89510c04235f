/**
 * Known exceptions to the house rules (architecture.test.ts), each with its reason in
 * docs/architecture.md ("What is still allowed"). This list may only shrink.
 */
export const ALLOWED: Record<'edgeImports' | 'bypasses' | 'cycles' | 'foreignWrites', string[]> = {
  edgeImports: [
  ],
  bypasses: [
  ],
  cycles: [
    "crm/customers ↔ crm/engagement ↔ crm/loyalty ↔ crm/sales",
  ],
  foreignWrites: [
    "src/crm/customers/erase.ts writes interactions (owner crm/service)",
    "src/crm/customers/erase.ts writes koc_profiles (owner crm/loyalty)",
    "src/crm/customers/erase.ts writes member_tags (owner crm/engagement)",
    "src/crm/customers/erase.ts writes tickets (owner crm/service)",
    "src/crm/customers/import/import.ts writes audit_logs (owner crm/kernel)",
    "src/crm/customers/import/import.ts writes points_ledger (owner crm/loyalty)",
    "src/crm/customers/merge.ts writes interactions (owner crm/service)",
    "src/crm/customers/merge.ts writes koc_profiles (owner crm/loyalty)",
    "src/crm/customers/merge.ts writes koc_referrals (owner crm/loyalty)",
    "src/crm/customers/merge.ts writes member_coupons (owner crm/loyalty)",
    "src/crm/customers/merge.ts writes member_tags (owner crm/engagement)",
    "src/crm/customers/merge.ts writes orders (owner crm/sales)",
    "src/crm/customers/merge.ts writes tickets (owner crm/service)",
    "src/crm/loyalty/membership/change.ts writes members (owner crm/customers)",
    "src/crm/loyalty/points/ledger.ts writes members (owner crm/customers)",
    "src/crm/loyalty/self/account.ts writes members (owner crm/customers)",
  ],
};
