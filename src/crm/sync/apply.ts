import { activeStaffActor, type StaffAccess } from '../kernel/index.ts';
import { updateMemberProfile } from '../customers/index.ts';
import { tagIdByName, writeMemberTags } from '../engagement/index.ts';
import type { RowDataPacket } from 'mysql2/promise';
import type { SyncCtx } from './context.ts';

/**
 * A change from the other side applied here through the owners' functions, never their tables:
 * profile fields by customers' updateMemberProfile (history and audit as for any edit, by the
 * acting administrator, channel `api`), tags by engagement's writeMemberTags (system `sync`: not
 * mirrored to WeCom). Both record the change feed as they always do; the ledger, written by the
 * caller with the same values, makes the outbound side find nothing to send back.
 */
let cached: { at: number; access: StaffAccess } | undefined;

/** The first active administrator acts for the sync (docs/sync.md); refreshed every minute. */
export async function syncAccess(ctx: SyncCtx): Promise<StaffAccess> {
  const { services } = ctx;
  if (cached && cached.access.services === services && Date.now() - cached.at < 60_000) return cached.access;
  const [rows] = await services.sql.query<RowDataPacket[]>("SELECT wecom_user_id FROM staff WHERE role = 'admin' AND active = 1 ORDER BY id LIMIT 1");
  const actor = rows[0] ? await activeStaffActor(services, String(rows[0].wecom_user_id)) : null;
  if (!actor) throw new Error('no active administrator to act for the sync');
  cached = { at: Date.now(), access: { services, actor, channel: 'api', requestId: `sync-${ctx.connector.name}` } };
  return cached.access;
}

export async function applyToMember(ctx: SyncCtx, memberId: number, patch: Record<string, string | null>, tags: { add: string[]; remove: string[] }): Promise<void> {
  const { services } = ctx;
  if (Object.keys(patch).length) {
    const p: Record<string, unknown> = { ...patch };
    if ('name' in p && !p.name) delete p.name;
    await updateMemberProfile(await syncAccess(ctx), memberId, p);
  }
  for (const [op, names] of [['add', tags.add], ['remove', tags.remove]] as const) {
    for (const name of names) {
      const tagId = await tagIdByName(services.sql, name);
      // A tag we don't have is not created from the other side (the dictionary is curated here).
      if (tagId === null) continue;
      const change = op === 'add' ? { op, tagId, memberIds: [memberId], source: 'manual' as const, createdBy: `sync:${ctx.connector.name}`, at: services.now() } : { op, tagId, memberIds: [memberId] };
      await writeMemberTags(services.sql, change, { system: 'sync' });
    }
  }
}
