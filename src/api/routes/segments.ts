import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { journeysOnSegment } from '../../crm/automation/index.ts';
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  previewTree,
  refreshNow,
  SEGMENT_EXPORT_FIELDS,
  segmentHistory,
  segmentMembers,
  segmentRuns,
  updateSegment,
  visibleMemberCount,
  type SegmentExportField,
  type SegmentInfo,
} from '../../crm/insights/index.ts';
import { AppError } from '../../crm/kernel/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam, iso, isoDateTime, isoOrNull, paged, pageQuery } from '../schemas.ts';
import { conditionsOf, phraseSchema, treeSchema } from '../segments/conditions.ts';
import { exportSegmentForApi } from '../segments/export.ts';

const kind = z.enum(['dynamic', 'static']).describe('dynamic: re-evaluated on run (and hourly when stale); static: the list frozen when created');
const visibility = z.enum(['private', 'team', 'global']).describe('private: owner and admins; team: HQ roles and staff of the segment’s store; global: everyone with segment.read');

const segmentView = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  kind,
  visibility,
  tree: z.unknown().describe('the condition tree ({version: 1, root})'),
  version: z.number().int().describe('revision, bumped by every change (GET …/history)'),
  ownerStaffId: z.number().int().nullable(),
  storeId: z.number().int().nullable().describe('the store whose members it covers; null = every store'),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  lastRunAt: isoDateTime.nullable(),
  lastCount: z.number().int().nullable().describe('members at the last run, across the segment’s whole scope'),
});
const toView = (s: SegmentInfo): z.infer<typeof segmentView> => ({
  id: s.id,
  name: s.name,
  description: s.description,
  kind: s.kind,
  visibility: s.visibility,
  tree: s.tree,
  version: s.version,
  ownerStaffId: s.ownerStaffId,
  storeId: s.storeId,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
  lastRunAt: isoOrNull(s.lastRunAt),
  lastCount: s.lastCount,
});

const runView = z.object({
  runId: z.number().int(),
  ranAt: isoDateTime,
  trigger: z.string(),
  count: z.number().int(),
  joined: z.number().int(),
  left: z.number().int(),
  durationMs: z.number().int(),
});
const toRun = (r: { runId: number; ranAt: Date; trigger: string; count: number; joined: number; left: number; durationMs: number }) => ({
  runId: r.runId,
  ranAt: iso(r.ranAt),
  trigger: r.trigger,
  count: r.count,
  joined: r.joined,
  left: r.left,
  durationMs: r.durationMs,
});

const memberView = z.object({
  memberId: z.number().int(),
  memberNo: z.string(),
  name: z.string(),
  phone: z.string().describe('masked unless the role may see phones'),
  level: z.number().int(),
  homeStore: z.string().nullable(),
});

const previewView = z.object({
  count: z.number().int().describe('members matching, in the caller’s store scope'),
  total: z.number().int().describe('all members in the same scope'),
  share: z.number().describe('count / total, 0..1'),
  sample: z.array(memberView).describe('up to 20 matching members, lowest id first'),
  churnRisk: z.record(z.string(), z.number().int()).optional().describe('members per churn-risk level (high / medium / low / unknown)'),
});

const name = z.string().trim().min(1).max(64);
const conditions = { tree: treeSchema.optional(), phrase: phraseSchema.optional() };
const EXAMPLE_TREE = { version: 1, root: { and: [{ metric: 'order_count', days: 90, op: 'eq', value: 0 }, { metric: 'spend', op: 'gt', value: '2000' }] } };

const createBody = z.strictObject({
  name,
  description: z.string().trim().max(255).nullable().optional(),
  ...conditions,
  kind: kind.optional().describe('default: what the phrase says ("静态"), else dynamic'),
  visibility: visibility.optional().describe('default private'),
  storeId: z.number().int().positive().nullable().optional().describe('HQ roles may pin it to one store; a store role’s segment is always its own store’s'),
});
const patchBody = z
  .strictObject({ name: name.optional(), description: z.string().trim().max(255).nullable().optional(), ...conditions, visibility: visibility.optional() })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one of name, description, tree, phrase, visibility' });
const previewBody = z.strictObject({ ...conditions, storeId: z.number().int().positive().optional().describe('only this store’s members (within the caller’s scope)') });

const listQuery = pageQuery.extend({ kind: kind.optional(), visibility: visibility.optional() });
const exportFields = Object.keys(SEGMENT_EXPORT_FIELDS) as [SegmentExportField, ...SegmentExportField[]];
const exportBody = z.strictObject({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  fields: z.array(z.enum(exportFields)).max(exportFields.length).optional().describe('columns after member id, member no, name and phone'),
  unmaskPhone: z.boolean().optional().describe('full phone numbers (member.phone.view only; needs a second approver)'),
});

/**
 * Segments (人群包) through the API (docs/segments.md): the same engine as the chat. Every read
 * and write checks visibility in the domain (a segment out of sight is 404, like an unknown id),
 * and member lists only ever show the caller's stores' members.
 */
export const segmentRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/segments',
      operationId: 'listSegments',
      tags: ['segments'],
      summary: 'Segments the caller may see, newest first',
      ...requires('segment.read'),
      request: { query: listQuery },
      responses: { 200: ok(paged(segmentView)), ...errors() },
    }),
    async ({ access, query }) => {
      const all = (await listSegments(access)).filter((s) => (!query.kind || s.kind === query.kind) && (!query.visibility || s.visibility === query.visibility));
      const start = (query.page - 1) * query.pageSize;
      return { items: all.slice(start, start + query.pageSize).map(toView), page: query.page, pageSize: query.pageSize, total: all.length };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/segments',
      operationId: 'createSegment',
      tags: ['segments'],
      summary: 'Create a segment from a condition tree or a Chinese phrase, static or dynamic, and evaluate it',
      description: 'A static segment’s list is frozen now and never changes; a dynamic one is re-evaluated by POST …/run and hourly when stale. Audited (segment.create).',
      ...requires('segment.write'),
      request: { body: jsonBody(createBody, { name: '高价值沉睡会员', tree: EXAMPLE_TREE, kind: 'static', visibility: 'team' }) },
      responses: { 201: ok(segmentView.extend({ run: runView }), 'The segment and its first run'), ...bodyErrors(409) },
    }),
    async ({ access, body }) => {
      const cond = conditionsOf(body, access.services.now());
      const { segment, run } = await createSegment(access, {
        name: body.name,
        description: body.description ?? null,
        tree: cond.tree,
        kind: body.kind ?? cond.kind ?? 'dynamic',
        visibility: body.visibility ?? 'private',
        storeId: body.storeId,
      });
      return { ...toView(segment), run: toRun(run) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/segments/preview',
      operationId: 'previewSegment',
      tags: ['segments'],
      summary: 'What conditions select now: count, share, churn mix and 20 samples; nothing is saved',
      description: 'Audited (segment.preview), since it shows members.',
      ...requires('segment.read'),
      request: { body: jsonBody(previewBody, { phrase: '流失风险高 且 累计消费大于2000' }) },
      responses: { 200: ok(previewView), ...bodyErrors() },
    }),
    async ({ access, body }) => {
      const { tree } = conditionsOf(body, access.services.now());
      return previewTree(access, tree, { storeId: body.storeId ?? null });
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/segments/{id}',
      operationId: 'getSegment',
      tags: ['segments'],
      summary: 'One segment, with how many of its members the caller may see',
      ...requires('segment.read'),
      request: { params: idParam },
      responses: { 200: ok(segmentView.extend({ visibleMembers: z.number().int().describe('members of the list in the caller’s stores') })), ...errors(404) },
    }),
    async ({ access, params }) => {
      const seg = await getSegment(access, params.id);
      return { ...toView(seg), visibleMembers: await visibleMemberCount(access, seg) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'patch',
      path: '/crm/segments/{id}',
      operationId: 'updateSegment',
      tags: ['segments'],
      summary: 'Rename, re-describe, change the conditions (dynamic only) or the visibility: a new revision',
      description: 'Only its owner, admins and HQ operators (403 segment_not_owner). New conditions re-evaluate a dynamic segment; a static one’s conditions cannot change (400 segment_static).',
      ...requires('segment.write'),
      request: { params: idParam, body: jsonBody(patchBody, { name: '高价值沉睡会员（90天）', phrase: '最近90天没消费 且 累计消费大于3000' }) },
      responses: { 200: ok(segmentView.extend({ run: runView.nullable() })), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => {
      const tree = body.tree !== undefined || body.phrase !== undefined ? conditionsOf(body, access.services.now()).tree : undefined;
      const { segment, run } = await updateSegment(access, params.id, {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(tree === undefined ? {} : { tree }),
        ...(body.visibility === undefined ? {} : { visibility: body.visibility }),
      });
      return { ...toView(segment), run: run ? toRun(run) : null };
    },
  ),
  apiRoute(
    createRoute({
      method: 'delete',
      path: '/crm/segments/{id}',
      operationId: 'deleteSegment',
      tags: ['segments'],
      summary: 'Delete a segment with its list, revisions and runs',
      description: 'Only its owner, admins and HQ operators. A segment that triggers a journey (segment_entered / segment_left) is 409 segment_in_use: deleting it would look like every member leaving.',
      ...requires('segment.write'),
      request: { params: idParam },
      responses: { 200: ok(z.object({ id: z.number().int(), name: z.string(), deleted: z.literal(true) })), ...errors(404, 409) },
    }),
    async ({ access, params }) => {
      // Visible first, so a hidden segment's journeys are not revealed by a 409.
      await getSegment(access, params.id);
      const journeys = await journeysOnSegment(access.services, params.id);
      if (journeys.length) {
        throw new AppError('segment_in_use', `segment ${params.id} triggers journeys ${journeys.map((j) => `#${j.id} ${j.name} (${j.status})`).join(', ')}: change or delete them first`);
      }
      const seg = await deleteSegment(access, params.id);
      return { id: seg.id, name: seg.name, deleted: true as const };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/segments/{id}/run',
      operationId: 'runSegment',
      tags: ['segments'],
      summary: 'Re-evaluate a dynamic segment now: its size and who joined and left',
      description: 'A static segment is a frozen list: 400 segment_static. Audited (segment.refresh).',
      ...requires('segment.write'),
      request: { params: idParam },
      responses: { 200: ok(runView), ...errors(404) },
    }),
    async ({ access, params }) => toRun(await refreshNow(access, params.id)),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/segments/{id}/customers',
      operationId: 'segmentCustomers',
      tags: ['segments'],
      summary: 'The segment’s members in the caller’s stores, a page at a time (id order)',
      description: 'Audited (segment.members) with the ids shown.',
      ...requires('segment.read'),
      request: { params: idParam, query: pageQuery },
      responses: { 200: ok(paged(memberView.extend({ addedAt: isoDateTime.describe('when the member joined the list') }))), ...errors(404) },
    }),
    async ({ access, params, query }) => {
      const { items, total } = await segmentMembers(access, params.id, query);
      return { items: items.map((m) => ({ ...m, addedAt: iso(m.addedAt) })), page: query.page, pageSize: query.pageSize, total };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/segments/{id}/export',
      operationId: 'exportSegment',
      tags: ['segments'],
      summary: 'Export the segment’s members in the caller’s stores (CSV or Excel) to a download link',
      description:
        'The list as of its last run. Masked phones unless unmaskPhone (member.phone.view). Full phones or more than EXPORT_APPROVAL_ROWS rows: status "pending" — ' +
        'another staff member with segment.export approves with POST /crm/exports/{approvalId}/approve, then the one who asked downloads from the link ' +
        '(or GET /crm/exports/{approvalId}/download). The link works for the one who asked only, for 30 minutes. Audited (segment.export).',
      ...requires('segment.export'),
      request: { params: idParam, body: jsonBody(exportBody, { format: 'csv', fields: ['level', 'home_store'] }) },
      responses: {
        201: ok(
          z.object({
            status: z.enum(['ready', 'pending']).describe('pending: waits for a second approver'),
            rows: z.number().int(),
            phoneMasked: z.boolean(),
            format: z.enum(['csv', 'xlsx']),
            download: z.string().describe('GET with your session or token (409 export_pending_approval until approved)'),
            expiresAt: isoDateTime.describe('ready: when the link lapses; pending: when the request lapses'),
            approvalId: z.string().nullable(),
            reasons: z.array(z.enum(['full_phone', 'rows'])),
          }),
        ),
        ...bodyErrors(404),
      },
    }),
    async ({ access, params, body }) => {
      const r = await exportSegmentForApi(access, params.id, { format: body.format, fields: body.fields ?? [], unmaskPhone: Boolean(body.unmaskPhone) });
      return { ...r, expiresAt: iso(r.expiresAt) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/segments/{id}/history',
      operationId: 'segmentHistory',
      tags: ['segments'],
      summary: 'Every revision (oldest first) and the latest runs (newest first)',
      ...requires('segment.read'),
      request: { params: idParam },
      responses: {
        200: ok(
          z.object({
            versions: z.array(z.object({ version: z.number().int(), name: z.string(), description: z.string().nullable(), tree: z.unknown(), visibility, changedByStaffId: z.number().int().nullable(), createdAt: isoDateTime })),
            runs: z.array(runView),
          }),
        ),
        ...errors(404),
      },
    }),
    async ({ access, params }) => {
      const versions = await segmentHistory(access, params.id);
      const runs = await segmentRuns(access, params.id);
      return {
        versions: versions.map((v) => ({ version: v.version, name: v.name, description: v.description, tree: v.tree, visibility: v.visibility, changedByStaffId: v.changedByStaffId, createdAt: iso(v.createdAt) })),
        runs: runs.map((r) => toRun({ runId: r.id, ranAt: r.ranAt, trigger: r.trigger, count: r.count, joined: r.joined, left: r.left, durationMs: r.durationMs })),
      };
    },
  ),
];
