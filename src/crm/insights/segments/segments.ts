import { AppError, audit, badRequest, forbidden, notFound, replayKey, requirePermission, storeScope, storeScopeSql, type StaffAccess, type StaffActor } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { compileWhere } from './compile.ts';
import { freezeSegment, refreshSegment, type RunResult } from './run.ts';
import { parseSegmentTree, type SegmentTree } from './tree.ts';

export type SegmentKind = 'dynamic' | 'static';
export type SegmentVisibility = 'private' | 'team' | 'global';

/** A saved segment as the rest of the code sees it (tree validated). */
export interface SegmentInfo {
  id: number;
  name: string;
  description: string | null;
  tree: SegmentTree;
  version: number;
  kind: SegmentKind;
  visibility: SegmentVisibility;
  ownerStaffId: number | null;
  storeId: number | null;
  createdAt: Date;
  updatedAt: Date;
  lastRunAt: Date | null;
  lastCount: number | null;
}

export interface CreateSegmentInput {
  name: string;
  description?: string | null;
  /** Unvalidated JSON: checked by parseSegmentTree (400 naming the bad node). */
  tree: unknown;
  kind?: SegmentKind;
  visibility?: SegmentVisibility;
  /** HQ roles may pin a segment to one store; store roles always get their own store. */
  storeId?: number | null;
}

type Row = Awaited<ReturnType<Services['db']['segment']['findFirst']>> & {};

function toInfo(r: Row): SegmentInfo {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    tree: parseSegmentTree(r.tree),
    version: r.version,
    kind: r.kind,
    visibility: r.visibility,
    ownerStaffId: r.ownerStaffId,
    storeId: r.storeId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    lastRunAt: r.lastRunAt,
    lastCount: r.lastCount,
  };
}

/** The members a saved segment covers: its store, or every store. */
export function segmentStores(seg: Pick<SegmentInfo, 'storeId'>): number[] | null {
  return seg.storeId === null ? null : [seg.storeId];
}

/**
 * Who may see a segment: its owner; anyone (with segment.read) when global; for team, HQ roles
 * and staff of the segment's store. Reading still only shows members in the reader's scope.
 */
export function canSee(actor: StaffActor, seg: Pick<SegmentInfo, 'ownerStaffId' | 'visibility' | 'storeId'>): boolean {
  if (seg.ownerStaffId === actor.staffId || actor.role === 'admin' || seg.visibility === 'global') return true;
  if (seg.visibility === 'private') return false;
  const stores = storeScope(actor);
  return stores === null || (seg.storeId !== null && stores.includes(seg.storeId));
}

/** Who may change, refresh or snapshot it: the owner, admins and HQ operators. */
export function canChange(actor: StaffActor, seg: Pick<SegmentInfo, 'ownerStaffId'>): boolean {
  return seg.ownerStaffId === actor.staffId || actor.role === 'admin' || actor.role === 'hq_operator';
}

function storeFor(actor: StaffActor, requested: number | null | undefined): number | null {
  const stores = storeScope(actor);
  if (stores === null) return requested ?? null;
  if (requested != null) {
    if (!stores.includes(requested)) throw forbidden('store_out_of_scope', '只能为你负责的门店创建人群包。');
    return requested;
  }
  if (stores.length === 0) throw forbidden('no_store', '你的账号没有关联门店，无法创建人群包。');
  return stores[0]!;
}

const NAME = /^[^\s].{0,63}$/su;

/**
 * Saves a new segment (version 1 in segment_versions) and evaluates it at once: a dynamic
 * segment gets its current membership, a static one its frozen list (the snapshot time is
 * the run's time).
 */
export async function createSegment(access: StaffAccess, input: CreateSegmentInput): Promise<{ segment: SegmentInfo; run: RunResult }> {
  const { segment, replayed } = await insertSegment(access, input);
  const run = segment.kind === 'static' ? await freezeSegment(access.services, segment, 'create') : await refreshSegment(access.services, segment, 'create');
  await audit(access.services, { actor: access.actor, action: 'segment.create', targetType: 'segment', targetId: String(segment.id), channel: access.channel, requestId: access.requestId, detail: { name: segment.name, kind: segment.kind, count: run.count, ...(replayed ? { replayed: true } : {}) } });
  return { segment: { ...segment, lastRunAt: run.ranAt, lastCount: run.count }, run };
}

/**
 * Saves a new segment without evaluating it: its first run is left to a job
 * (`countNewSegment`, src/jobs/segment-refresh.ts), so a chat turn at a million members answers
 * at once instead of after a full evaluation (docs/segments.md, "Counted in the background").
 * Until that run `lastRunAt` is null. The tree is compiled here, so a tree the evaluation
 * would refuse is refused now, before anything is saved.
 */
export async function saveSegment(access: StaffAccess, input: CreateSegmentInput): Promise<SegmentInfo> {
  compileWhere(parseSegmentTree(input.tree), { now: access.services.now(), stores: null });
  const { segment, replayed } = await insertSegment(access, input);
  await audit(access.services, { actor: access.actor, action: 'segment.create', targetType: 'segment', targetId: String(segment.id), channel: access.channel, requestId: access.requestId, detail: { name: segment.name, kind: segment.kind, count: 'pending', ...(replayed ? { replayed: true } : {}) } });
  return segment;
}

/**
 * A new segment's first run, exactly once: a dynamic segment evaluated, a static one frozen —
 * unless it has a run already (the job ran twice, the scheduled refresh or a staff member's
 * refresh came first), then `run` is null and `segment` has that run's count. Decided under the
 * segment row's lock in the run's own transaction (run.ts `firstOnly`), so two at once record one.
 * Null when the segment is gone.
 */
export async function countNewSegment(services: Services, id: number): Promise<{ segment: SegmentInfo; run: RunResult | null } | null> {
  const row = await services.db.segment.findUnique({ where: { id } });
  if (!row) return null;
  const segment = toInfo(row);
  if (segment.lastRunAt !== null) return { segment, run: null };
  const run = segment.kind === 'static' ? await freezeSegment(services, segment, 'create', { firstOnly: true }) : await refreshSegment(services, segment, 'create', { firstOnly: true });
  if (run) return { segment: { ...segment, lastRunAt: run.ranAt, lastCount: run.count }, run };
  const now = await services.db.segment.findUnique({ where: { id } });
  return now ? { segment: toInfo(now), run: null } : null;
}

/** The segment row and its first version (a chat message run again finds the one it made). */
async function insertSegment(access: StaffAccess, input: CreateSegmentInput): Promise<{ segment: SegmentInfo; replayed: boolean }> {
  requirePermission(access.actor, 'segment.write');
  const { services, actor } = access;
  const name = input.name.trim();
  if (!NAME.test(name)) throw badRequest('invalid_segment_name', '人群包名称应为 1–64 个字符。');
  const tree = parseSegmentTree(input.tree);
  const storeId = storeFor(actor, input.storeId);
  const now = services.now();
  const visibility = input.visibility ?? 'private';
  // A chat message run again after a crash between this commit and its inbox completion finds its
  // segment (and runs it, in case the crash came before the run) instead of refusing the name.
  const idempotencyKey = replayKey('segment');
  const seen = idempotencyKey ? await services.db.segment.findUnique({ where: { idempotencyKey } }) : null;
  let row: Row;
  try {
    row = seen ?? await services.db.$transaction(async (tx) => {
      const seg = await tx.segment.create({
        data: {
          name,
          description: input.description ?? null,
          tree: tree as object,
          kind: input.kind ?? 'dynamic',
          visibility,
          ownerStaffId: actor.staffId,
          storeId,
          idempotencyKey,
          createdAt: now,
          updatedAt: now,
        },
      });
      await tx.segmentVersion.create({ data: { segmentId: seg.id, version: 1, name, description: seg.description, tree: tree as object, visibility, changedByStaffId: actor.staffId, createdAt: now } });
      return seg;
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') throw new AppError('segment_exists', `已经有名为「${name}」的人群包了，换个名字吧。`);
    throw e;
  }
  return { segment: toInfo(row), replayed: seen !== null };
}

export interface UpdateSegmentInput {
  name?: string;
  description?: string | null;
  tree?: unknown;
  visibility?: SegmentVisibility;
}

/** Changes a segment: a new revision in segment_versions; a dynamic segment with a new tree is re-evaluated. */
export async function updateSegment(access: StaffAccess, id: number, patch: UpdateSegmentInput): Promise<{ segment: SegmentInfo; run: RunResult | null }> {
  requirePermission(access.actor, 'segment.write');
  const { services, actor } = access;
  const current = await getSegment(access, id);
  if (!canChange(actor, current)) throw forbidden('segment_not_owner', '只有人群包的创建者或总部可以修改它。');
  const tree = patch.tree === undefined ? undefined : parseSegmentTree(patch.tree);
  if (tree && current.kind === 'static') throw badRequest('segment_static', '静态人群包是冻结的名单，不能修改条件；请新建一个。');
  const name = patch.name === undefined ? undefined : patch.name.trim();
  if (name !== undefined && !NAME.test(name)) throw badRequest('invalid_segment_name', '人群包名称应为 1–64 个字符。');
  const now = services.now();
  let row: Row;
  try {
    row = await services.db.$transaction(async (tx) => {
      const seg = await tx.segment.update({
        where: { id },
        data: {
          ...(name === undefined ? {} : { name }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(tree === undefined ? {} : { tree: tree as object }),
          ...(patch.visibility === undefined ? {} : { visibility: patch.visibility }),
          version: { increment: 1 },
          updatedAt: now,
        },
      });
      await tx.segmentVersion.create({ data: { segmentId: id, version: seg.version, name: seg.name, description: seg.description, tree: seg.tree as object, visibility: seg.visibility, changedByStaffId: actor.staffId, createdAt: now } });
      return seg;
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') throw new AppError('segment_exists', `已经有名为「${name}」的人群包了，换个名字吧。`);
    throw e;
  }
  const segment = toInfo(row);
  const run = tree && segment.kind === 'dynamic' ? await refreshSegment(services, segment, 'update') : null;
  await audit(services, { actor, action: 'segment.update', targetType: 'segment', targetId: String(id), channel: access.channel, requestId: access.requestId, detail: { version: segment.version, fields: Object.keys(patch) } });
  return { segment, run };
}

/**
 * Deletes a segment with its revisions, runs and member list (cascade). Only who may change it;
 * a segment out of sight is 404. The caller checks first that no journey is triggered by it
 * (journeys are automation, above insights: src/api/routes/segments.ts).
 */
export async function deleteSegment(access: StaffAccess, id: number): Promise<SegmentInfo> {
  requirePermission(access.actor, 'segment.write');
  const { services, actor } = access;
  const current = await getSegment(access, id);
  if (!canChange(actor, current)) throw forbidden('segment_not_owner', '只有人群包的创建者或总部可以删除它。');
  await services.db.segment.delete({ where: { id } });
  await audit(services, { actor, action: 'segment.delete', targetType: 'segment', targetId: String(id), channel: access.channel, requestId: access.requestId, detail: { name: current.name, kind: current.kind, version: current.version } });
  return current;
}

/** A segment the actor may see, by id; anything else is "not found" (no existence leak). */
export async function getSegment(access: StaffAccess, id: number): Promise<SegmentInfo> {
  requirePermission(access.actor, 'segment.read');
  const row = await access.services.db.segment.findUnique({ where: { id } });
  if (!row || !canSee(access.actor, row)) throw notFound('segment_not_found', `没有找到人群包 #${id}。`);
  return toInfo(row);
}

/** Segments the actor may see, newest first. */
export async function listSegments(access: StaffAccess): Promise<SegmentInfo[]> {
  requirePermission(access.actor, 'segment.read');
  const rows = await access.services.db.segment.findMany({ orderBy: { id: 'desc' }, take: 500 });
  return rows.filter((r) => canSee(access.actor, r)).map(toInfo);
}

/**
 * The visible segment whose name the text mentions, longest name first ("人群包 高价值沉睡会员
 * 有多少人" → 高价值沉睡会员, not a segment named 高价值). Case-insensitive.
 */
export async function findSegmentInText(access: StaffAccess, text: string): Promise<SegmentInfo | undefined> {
  const lower = text.toLowerCase();
  return (await listSegments(access)).sort((a, b) => b.name.length - a.name.length).find((s) => lower.includes(s.name.toLowerCase()));
}

/** The revision history, oldest first. */
export async function segmentHistory(access: StaffAccess, id: number) {
  await getSegment(access, id);
  return access.services.db.segmentVersion.findMany({ where: { segmentId: id }, orderBy: { version: 'asc' } });
}

/** Runs of a segment, newest first. */
export async function segmentRuns(access: StaffAccess, id: number, take = 20) {
  await getSegment(access, id);
  return access.services.db.segmentRun.findMany({ where: { segmentId: id }, orderBy: { id: 'desc' }, take });
}

/** Re-evaluates a dynamic segment now (on demand), recording the run and the membership diff. */
export async function refreshNow(access: StaffAccess, id: number): Promise<RunResult> {
  requirePermission(access.actor, 'segment.write');
  const seg = await getSegment(access, id);
  if (seg.kind === 'static') throw badRequest('segment_static', '静态人群包是冻结的名单，不会重新计算。');
  const run = await refreshSegment(access.services, seg, 'manual');
  await audit(access.services, { actor: access.actor, action: 'segment.refresh', targetType: 'segment', targetId: String(id), channel: access.channel, requestId: access.requestId, detail: { count: run.count, joined: run.joined, left: run.left } });
  return run;
}

/**
 * Freezes the segment's current members as a new static segment ("<name> 快照 <time>" unless
 * named): the list no longer changes, and its run records when it was taken.
 */
export async function snapshotSegment(access: StaffAccess, id: number, name?: string): Promise<{ segment: SegmentInfo; run: RunResult }> {
  const source = await getSegment(access, id);
  const stamp = access.services.now().toISOString().slice(0, 16).replace('T', ' ');
  return createSegment(access, {
    name: name ?? `${source.name} 快照 ${stamp}`.slice(0, 64),
    description: `快照自 #${source.id}（版本 ${source.version}）`,
    tree: source.tree,
    kind: 'static',
    visibility: source.visibility,
    storeId: source.storeId,
  });
}

/** Members of a saved segment the actor may see (its store scope ∩ the segment's list). */
export async function visibleMemberCount(access: StaffAccess, seg: SegmentInfo): Promise<number> {
  const stores = storeScope(access.actor);
  if (stores !== null && stores.length === 0) return 0;
  const scope = storeScopeSql(stores);
  const [rows] = await access.services.sql.query<any[]>(
    `SELECT COUNT(*) AS n FROM segment_members sm JOIN members m ON m.id = sm.member_id
     WHERE sm.segment_id = ? AND m.status <> 'deleted'${scope.sql}`,
    [seg.id, ...scope.params],
  );
  return Number(rows[0].n);
}
