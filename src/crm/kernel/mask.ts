import type { Actor } from './actor.ts';
import { can } from './permissions.ts';

/** 13800000001 → 138****0001: keeps the carrier prefix and the last four, which staff use to confirm identity by voice. */
export function maskPhone(phone: string): string {
  return phone.length >= 8 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** The phone as this actor may see it: full with `member.phone.view`, or a member's own; masked otherwise. */
export function phoneFor(actor: Actor, phone: string): string {
  if (actor.kind === 'member') return actor.phone === phone ? phone : maskPhone(phone);
  return can(actor, 'member.phone.view') ? phone : maskPhone(phone);
}
