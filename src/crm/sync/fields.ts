import { z } from 'zod';

/**
 * What of a member is synced, in canonical names (the connector maps them, docs/sync.md): the
 * profile, the member's standing (level, points, spend, KOC figures, which the other CRM keeps
 * in custom fields) and the tags (`tags`). Orders, refunds and follow-ups go to its activity
 * timeline, not to fields.
 */
export const MEMBER_FIELDS = ['name', 'phone', 'gender', 'birthday', 'member_no', 'status', 'level', 'points', 'home_store', 'total_spend', 'order_count', 'last_order_at', 'koc_referrals', 'koc_earnings'] as const;
export type MemberField = (typeof MEMBER_FIELDS)[number];

/** Fields a change from the other side may write here (through customers' updateMemberProfile). */
export const INBOUND_FIELDS: readonly string[] = ['name', 'gender', 'birthday'];

export const DIRECTIONS = ['both', 'out', 'in', 'off'] as const;
export type Direction = (typeof DIRECTIONS)[number];
/** Who wins a conflict (both sides changed the field since they last agreed). */
export type Owner = 'local' | 'remote';
export interface FieldRule {
  direction: Direction;
  owner: Owner;
}

/** Objects whose changes are pushed; each can be switched off. */
export const SYNC_OBJECTS = ['member', 'tag', 'order', 'refund', 'follow_up'] as const;
export type SyncObject = (typeof SYNC_OBJECTS)[number];

export interface SyncRules {
  fields: Record<string, FieldRule>;
  objects: SyncObject[];
}

const DEFAULT_FIELDS: Record<string, FieldRule> = {
  ...Object.fromEntries(MEMBER_FIELDS.map((f) => [f, { direction: 'out', owner: 'local' }])),
  name: { direction: 'both', owner: 'local' },
  gender: { direction: 'both', owner: 'remote' },
  birthday: { direction: 'both', owner: 'remote' },
  tags: { direction: 'both', owner: 'local' },
};

const ruleSpec = z.string().regex(/^(both|out|in|off)(:(local|remote))?$/);

/**
 * The rules from their settings: `fields` as `name=both:remote,phone=out,tags=off` (direction,
 * then optionally who owns it) over the defaults; `objects` a comma list (empty: all). An unknown
 * field, object or direction is refused at start.
 */
export function parseSyncRules(fields: string, objects: string): SyncRules {
  const out: Record<string, FieldRule> = { ...DEFAULT_FIELDS };
  for (const part of fields.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, spec] = part.split('=').map((s) => s.trim());
    if (!name || !(name in DEFAULT_FIELDS)) throw new Error(`sync rules: unknown field "${name}" (one of ${Object.keys(DEFAULT_FIELDS).join(', ')})`);
    if (!spec || !ruleSpec.safeParse(spec).success) throw new Error(`sync rules: "${part}" is not field=direction[:owner] (direction both|out|in|off, owner local|remote)`);
    const [direction, owner] = spec.split(':') as [Direction, Owner | undefined];
    if ((direction === 'both' || direction === 'in') && name !== 'tags' && !INBOUND_FIELDS.includes(name)) throw new Error(`sync rules: ${name} can only go out (inbound: ${INBOUND_FIELDS.join(', ')}, tags)`);
    out[name] = { direction, owner: owner ?? out[name]!.owner };
  }
  const list = objects.split(',').map((s) => s.trim()).filter(Boolean);
  for (const o of list) if (!(SYNC_OBJECTS as readonly string[]).includes(o)) throw new Error(`sync objects: unknown "${o}" (one of ${SYNC_OBJECTS.join(', ')})`);
  return { fields: out, objects: list.length ? (list as SyncObject[]) : [...SYNC_OBJECTS] };
}

export const sendsOut = (r: FieldRule | undefined) => r?.direction === 'both' || r?.direction === 'out';
export const takesIn = (r: FieldRule | undefined) => r?.direction === 'both' || r?.direction === 'in';
