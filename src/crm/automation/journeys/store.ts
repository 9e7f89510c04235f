/**
 * Journeys as versioned data: every change of the definition is a new immutable row in
 * journey_versions; enrollments keep the version they entered with, so editing a running
 * journey never changes the path of members already in it.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { AppError, notFound, storeScope, type StaffAccess } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { parseJourneyDefinition, type CompiledJourney } from './definition.ts';

export type JourneyStatus = 'draft' | 'active' | 'paused';

export interface JourneyInfo {
  id: number;
  templateKey: string | null;
  name: string;
  description: string | null;
  status: JourneyStatus;
  currentVersion: number;
  triggerType: string;
  storeId: number | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  definition: unknown;
}

export interface JourneyInput {
  name: string;
  description?: string | null;
  definition: unknown;
  status?: JourneyStatus;
  templateKey?: string | null;
  storeId?: number | null;
}

const compiled = new Map<string, CompiledJourney>();

/** The compiled definition of one version (versions never change, so it is cached for good). */
export async function loadVersion(services: Services, journeyId: number, version: number): Promise<CompiledJourney> {
  const k = `${services.config.DATABASE_URL}|${journeyId}:${version}`;
  const hit = compiled.get(k);
  if (hit) return hit;
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT definition FROM journey_versions WHERE journey_id = ? AND version = ?', [journeyId, version]);
  if (!rows[0]) throw notFound('journey_not_found', `旅程 ${journeyId} v${version} 不存在。`);
  const raw = typeof rows[0].definition === 'string' ? JSON.parse(rows[0].definition) : rows[0].definition;
  const c = parseJourneyDefinition(raw);
  if (compiled.size > 5000) compiled.clear();
  compiled.set(k, c);
  return c;
}

export async function createJourney(services: Services, createdBy: string, input: JourneyInput): Promise<JourneyInfo> {
  const c = parseJourneyDefinition(input.definition);
  const now = services.now();
  const j = await services.db.$transaction(async (tx) => {
    const j = await tx.journey.create({
      data: {
        name: input.name,
        description: input.description ?? null,
        status: input.status ?? 'draft',
        templateKey: input.templateKey ?? null,
        storeId: input.storeId ?? null,
        triggerType: c.def.trigger.type,
        currentVersion: 1,
        createdBy,
        createdAt: now,
        updatedAt: now,
      },
    });
    await tx.journeyVersion.create({ data: { journeyId: j.id, version: 1, definition: c.def as object, createdBy, createdAt: now } });
    return j;
  });
  return { ...j, definition: c.def };
}

/** A new version when the definition changes; name/description/status edits keep the version. */
export async function updateJourney(services: Services, id: number, by: string, patch: Partial<JourneyInput>): Promise<JourneyInfo> {
  const cur = await getJourney(services, id);
  const now = services.now();
  let version = cur.currentVersion;
  let triggerType = cur.triggerType;
  let definition = cur.definition;
  if (patch.definition !== undefined) {
    const c = parseJourneyDefinition(patch.definition);
    version = cur.currentVersion + 1;
    triggerType = c.def.trigger.type;
    definition = c.def;
    await services.db.journeyVersion.create({ data: { journeyId: id, version, definition: c.def as object, createdBy: by, createdAt: now } });
  }
  await services.db.journey.update({
    where: { id },
    data: {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      currentVersion: version,
      triggerType,
      updatedAt: now,
    },
  });
  return { ...(await getJourney(services, id)), definition };
}

export async function getJourney(services: Services, id: number): Promise<JourneyInfo> {
  const j = await services.db.journey.findUnique({ where: { id } });
  if (!j) throw notFound('journey_not_found', `旅程 ${id} 不存在。`);
  const v = await services.db.journeyVersion.findUnique({ where: { journeyId_version: { journeyId: id, version: j.currentVersion } } });
  return { ...j, definition: v?.definition ?? null };
}

/**
 * The journeys the caller may see (docs/api.md, store scope): HQ roles every journey; a store
 * role its stores' journeys and HQ's (store_id NULL), never another store's.
 */
export async function listJourneys(access: StaffAccess, filter: { status?: JourneyStatus } = {}): Promise<JourneyInfo[]> {
  const scope = storeScope(access.actor);
  const where = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(scope === null ? {} : { OR: [{ storeId: null }, { storeId: { in: scope } }] }),
  };
  const js = await access.services.db.journey.findMany({ where, orderBy: { id: 'asc' } });
  return js.map((j) => ({ ...j, definition: undefined }));
}

/** One journey as the caller may see it: another store's journey is "not found" (404), like a member. */
export async function readJourney(access: StaffAccess, id: number): Promise<JourneyInfo> {
  const j = await getJourney(access.services, id);
  const scope = storeScope(access.actor);
  if (scope !== null && j.storeId !== null && !scope.includes(j.storeId)) throw notFound('journey_not_found', `旅程 ${id} 不存在。`);
  return j;
}

export async function setJourneyStatus(services: Services, id: number, status: JourneyStatus): Promise<JourneyInfo> {
  await getJourney(services, id);
  await services.db.journey.update({ where: { id }, data: { status, updatedAt: services.now() } });
  return getJourney(services, id);
}

export async function deleteJourney(services: Services, id: number): Promise<void> {
  const j = await getJourney(services, id);
  if (j.status === 'active') throw new AppError('journey_active', '运行中的旅程不能删除，请先暂停。');
  await services.sql.query('DELETE FROM journey_versions WHERE journey_id = ?', [id]);
  await services.sql.query('DELETE FROM journeys WHERE id = ?', [id]);
}

/** Journey status with a short in-process cache (checked on every step: pause holds members). */
const statusCache = new Map<string, { status: JourneyStatus; at: number }>();
export async function journeyStatus(services: Services, id: number): Promise<JourneyStatus | undefined> {
  const k = `${services.config.DATABASE_URL}|${id}`;
  const hit = statusCache.get(k);
  if (hit && Date.now() - hit.at < 1000) return hit.status;
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT status FROM journeys WHERE id = ?', [id]);
  const status = rows[0]?.status as JourneyStatus | undefined;
  if (status) statusCache.set(k, { status, at: Date.now() });
  return status;
}
