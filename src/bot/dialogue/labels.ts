/** The member, tag or store a reading would act on, for an option line ("张伟", "M00000001 · VIP"). Titles and examples: src/intents/localized.ts. */
export function slotSummary(slots: Record<string, unknown>): string {
  const keys = ['name', 'memberNo', 'phone', 'tag', 'store', 'level'];
  return keys.flatMap((k) => (typeof slots[k] === 'string' || typeof slots[k] === 'number' ? [String(slots[k])] : [])).join(' · ');
}
