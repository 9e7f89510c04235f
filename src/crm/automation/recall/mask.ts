/** 林晓雯 → 林**, Zhang Wei → Z*** (previews show who, not the full name). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}
