import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../bot/types.ts';
import type { Services } from '../../services.ts';
import type { RouteContext } from '../router/types.ts';

/**
 * Where the tuning set lives: test/intents/tuning/ once the evaluation is split, until then the
 * .jsonl files directly in test/intents/. Never test/intents/test/ (the blind test set: nothing
 * is fitted to it).
 */
export function tuningDir(): string {
  const split = fileURLToPath(new URL('../../../test/intents/tuning/', import.meta.url));
  return existsSync(split) ? split : fileURLToPath(new URL('../../../test/intents/', import.meta.url));
}

const ACTORS: Record<'staff' | 'member', Actor> = {
  staff: { kind: 'staff', staffId: 1, wecomUserId: 'tuning_staff', name: '调参店长', role: 'store_manager', storeIds: [1] },
  member: { kind: 'member', memberId: 1, name: '调参会员', phone: '13900000000', homeStoreId: 1 },
};

/** A routing context without infrastructure (the routers get fixed dictionaries, never services). */
export function offlineContext(audience: 'staff' | 'member'): RouteContext {
  return { audience, actor: ACTORS[audience], services: {} as Services };
}
