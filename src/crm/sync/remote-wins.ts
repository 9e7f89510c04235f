import type { SyncCtx } from './context.ts';
import { applyToMember } from './apply.ts';
import { logConflicts } from './conflicts.ts';
import { hashOf, writeLedger, type Ledger } from './ledger.ts';
import type { MemberSnapshot } from './snapshot.ts';

/**
 * Before a push of fields the other side owns: ask for its values; a field it changed as well
 * (its hash left the ledger) is a conflict it wins — its value is applied here, the ledger moves
 * to it, the conflict is logged with both values. Returns the fields not to push.
 */
export async function resolveRemoteWins(ctx: SyncCtx, snap: MemberSnapshot, remoteId: string, fields: string[], ledger: Ledger): Promise<string[]> {
  const { services, connector } = ctx;
  const [remote] = await connector.getContacts([remoteId]);
  if (!remote) return [];
  const lost = fields.filter((f) => f in remote.fields && hashOf(remote.fields[f]) !== ledger.get(f));
  if (!lost.length) return [];
  const patch = Object.fromEntries(lost.map((f) => [f, remote.fields[f] ?? null]));
  await writeLedger(services.sql, connector.name, 'member', String(snap.id), lost.map((f) => [f, hashOf(remote.fields[f])]), services.now());
  await applyToMember(ctx, snap.id, patch, { add: [], remove: [] });
  await logConflicts(services.sql, connector.name, lost.map((f) => ({ objectType: 'member', objectId: String(snap.id), field: f, localValue: snap.fields[f] ?? null, remoteValue: remote.fields[f] ?? null, winner: 'remote' as const })), services.now());
  return lost;
}
