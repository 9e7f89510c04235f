import { basename } from 'node:path';
import { openTable, writeErrorReport, type Cell, type EncodingChoice, type ImportProgress, type RejectedRow } from '../../customers/index.ts';
import { audit, badRequest, requirePermission, storeScope, AppError, type StaffAccess } from '../../kernel/index.ts';
import { MAX_BATCH, recordOrderBatch, type BatchResult } from '../intake/batch.ts';
import type { OrderInput } from '../intake/schemas.ts';
import type { IntakeDeps } from '../intake/triggers.ts';
import { resolveOrderColumns, type OrderField } from './columns.ts';
import { buildOrder, parseLine, type Line } from './lines.ts';

export interface OrderImportOptions {
  /** field → header; unmapped fields are recognised from the header. */
  map?: Partial<Record<OrderField, string>>;
  /** The store of every order whose row names none (a single store's POS export). */
  defaultStoreId?: number;
  /** An unknown phone creates the member (as the API's createMember); otherwise such an order is rejected. */
  createMembers?: boolean;
  /** Every check and every write, each order's transaction rolled back. */
  dryRun?: boolean;
  /** Orders per batch handed to the intake (default and at most MAX_BATCH; the writer splits a large batch into lanes). */
  batchSize?: number;
  errorsFile?: string;
  encoding?: EncodingChoice;
  onProgress?: (p: ImportProgress) => void;
}

export interface OrderImportResult {
  file: string;
  encoding: string | null;
  dryRun: boolean;
  rowsRead: number;
  /** Distinct orders in the file. */
  orders: number;
  /** Orders written now (in a dry run: that would be written). */
  recorded: number;
  /** Orders recorded before with the same content (a re-import): nothing written. */
  replayed: number;
  /** Orders not recorded (bad cells, unknown member or store, an order number used for another order), and stray rows repeating an earlier order's number. */
  rejected: number;
  membersCreated: number;
  batches: number;
  ignoredColumns: string[];
  errorsFile: string | null;
  errors: RejectedRow[];
}

/**
 * Batches written at once: two — the next chunk is parsed, checked and looked up while the one
 * before it is in its transaction(s), then waits for that one's member locks (`turn`), so the
 * orders still land in file order. (Measured no faster when a batch was one transaction on a
 * loaded machine; with lanes the writer's own Node work is what the parse overlaps.)
 */
const IN_FLIGHT = 2;

/** An order ready for the intake, with the rows it came from (for the error report). */
interface Pending {
  input: OrderInput;
  firstRow: number;
  itemRows: number[];
}

/** The file column an intake error names: its `issues` path (items.2.price → the third item's row, price column), else by code. */
function columnOf(r: Extract<BatchResult, { error: unknown }>, p: Pending): { row: number; field: OrderField | '' } {
  const path = ((r.error.issues as { path?: (string | number)[] }[] | undefined)?.[0]?.path ?? []).map(String);
  const KEY: Record<string, OrderField> = { orderNo: 'order_no', phone: 'phone', memberNo: 'member_no', openid: 'openid', memberName: 'member_name', createMember: 'phone', storeId: 'store', storeCode: 'store', amount: 'amount', paidAt: 'paid_at', paymentMethod: 'payment', channel: 'channel' };
  const ITEM: Record<string, OrderField> = { name: 'item', qty: 'qty', price: 'price', category: 'category', sku: 'sku' };
  if (path[0] === 'items') return { row: p.itemRows[Number(path[1])] ?? p.firstRow, field: ITEM[path[2] ?? ''] ?? 'item' };
  if (path[0] && KEY[path[0]]) return { row: p.firstRow, field: KEY[path[0]]! };
  const code = r.error.code;
  if (code === 'member_not_found') return { row: p.firstRow, field: p.input.memberNo ? 'member_no' : p.input.phone ? 'phone' : 'openid' };
  if (code === 'order_conflict') return { row: p.firstRow, field: 'order_no' };
  if (code === 'store_out_of_scope') return { row: p.firstRow, field: 'store' };
  return { row: p.firstRow, field: '' };
}

/**
 * Records paid orders from a CSV or XLSX file (docs/import-export.md) through the same intake
 * as POST /api/crm/orders/batch (recordOrderBatch → writeOrders: one set-based transaction per batch
 * with its rollups, points, level, recall attribution and audit row), so a file and the API can
 * never disagree. Rows of one order number must be adjacent (one row per item, or one per
 * order). Idempotent on the order number: a re-import answers "replayed" and writes nothing; the
 * same number with other content is rejected (409 order_conflict). Bad rows are reported (row,
 * column, reason) in `<file>.errors.csv` and the good orders land. Journey triggers fire when
 * `deps` carries the journey engine; otherwise the trigger sweep enrols within minutes.
 *
 * Orders go to the writer in batches (batchSize, default and at most 1,000), two in flight.
 */
export async function importOrders(access: StaffAccess, file: string, opts: OrderImportOptions = {}, deps: IntakeDeps = {}): Promise<OrderImportResult> {
  requirePermission(access.actor, 'order.write');
  const { services, actor } = access;
  const started = Date.now();
  const batchSize = Math.min(Math.max(opts.batchSize ?? MAX_BATCH, 1), MAX_BATCH);
  const scope = storeScope(actor);
  if (opts.defaultStoreId !== undefined && scope !== null && !scope.includes(opts.defaultStoreId)) throw new AppError('store_out_of_scope', '--store 不是你管理的门店。');
  const storesByKey = new Map<string, number>();
  const stores = await services.db.store.findMany({ select: { id: true, code: true, name: true } });
  for (const s of stores) storesByKey.set(s.name.toLowerCase(), s.id);
  for (const s of stores) storesByKey.set(s.code.toLowerCase(), s.id);

  const table = await openTable(file, { encoding: opts.encoding });
  const result: OrderImportResult = { file, encoding: table.encoding, dryRun: Boolean(opts.dryRun), rowsRead: 0, orders: 0, recorded: 0, replayed: 0, rejected: 0, membersCreated: 0, batches: 0, ignoredColumns: [], errorsFile: null, errors: [] };
  let header: string[] = [];
  let columns: Partial<Record<OrderField, number>> | null = null;
  const colName = (field: OrderField | '') => (field === '' ? '' : columns?.[field] !== undefined ? header[columns[field]!]! : field);
  const reject = (row: number, field: OrderField | '', reason: string) => result.errors.push({ row, column: colName(field), reason });
  const progress = (done: boolean) =>
    opts.onProgress?.({ rowsRead: result.rowsRead, imported: result.recorded + result.replayed, rejected: result.rejected, elapsedMs: Date.now() - started, fraction: done ? 1 : table.fraction(), done });

  /** First row of each order number seen, so a number that comes back later in the file is caught. */
  const seen = new Map<string, number>();
  let group: Line[] = [];
  let groupBad = false;
  let batch: Pending[] = [];

  /** Batches being written, oldest first (at most IN_FLIGHT), each with the promise its successor's turn waits on. */
  const inFlight: { pending: Pending[]; results: Promise<BatchResult[]> }[] = [];
  let turn: Promise<unknown> = Promise.resolve();
  /** Counts the oldest batch's answers and reports its bad orders (batches are reported in file order). */
  const settleOldest = async () => {
    const { pending, results } = inFlight.shift()!;
    for (const [i, r] of (await results).entries()) {
      const p = pending[i]!;
      if (r.status === 201 && 'order' in r) {
        if (r.replayed) result.replayed++;
        else {
          result.recorded++;
          if (r.order.memberCreated) result.membersCreated++;
        }
      } else if ('error' in r) {
        result.rejected++;
        const at = columnOf(r, p);
        reject(at.row, at.field, `${r.error.message}${r.status >= 500 ? '' : ` [${r.error.code}]`}`);
      }
    }
    progress(false);
  };
  const flush = async () => {
    if (!batch.length) return;
    const pending = batch;
    batch = [];
    result.batches++;
    // Written side by side with the one before (its look-ups and checks overlap that one's
    // transaction), but it takes its members' locks only after that one holds its own: an order
    // of a member in both lands after the earlier one, as in the file.
    let locked!: () => void;
    const mine = new Promise<void>((r) => (locked = r));
    const results = recordOrderBatch(access, pending.map((p) => p.input), deps, { dryRun: opts.dryRun, turn, locked });
    // Awaited in settleOldest; marked handled now so a failure while the file is still read is not an unhandled rejection.
    results.catch(() => undefined).finally(locked);
    inFlight.push({ pending, results });
    turn = mine;
    if (inFlight.length >= IN_FLIGHT) await settleOldest();
  };

  const closeGroup = async () => {
    if (!group.length) return;
    const lines = group;
    const bad = groupBad;
    group = [];
    groupBad = false;
    result.orders++;
    if (bad) {
      result.rejected++;
      return;
    }
    const built = buildOrder(lines, { defaultStoreId: opts.defaultStoreId, createMembers: Boolean(opts.createMembers) });
    if (!built.ok) {
      result.rejected++;
      for (const e of built.errors) reject(e.row, e.field, e.reason);
      return;
    }
    batch.push({ input: built.input, firstRow: lines[0]!.row, itemRows: built.itemRows });
    if (batch.length >= batchSize) await flush();
  };

  for await (const raw of table.rows) {
    if (!columns) {
      header = raw.cells.map((c) => (c instanceof Date ? c.toISOString() : (c ?? '').trim()));
      const resolved = resolveOrderColumns(header, opts.map, { storeGiven: opts.defaultStoreId !== undefined });
      columns = resolved.columns;
      result.ignoredColumns = resolved.ignored;
      continue;
    }
    result.rowsRead++;
    const cells: Partial<Record<OrderField, Cell>> = {};
    for (const [field, idx] of Object.entries(columns) as [OrderField, number][]) cells[field] = raw.cells[idx] ?? null;
    const parsed = parseLine(raw.row, cells, { storesByKey });
    // The order number decides the group even when other cells are bad, so one bad row rejects its whole order.
    const orderNo = parsed.ok ? parsed.line.orderNo : String(cells.order_no ?? '').trim();
    if (group.length && group[0]!.orderNo !== orderNo) await closeGroup();
    if (!group.length && orderNo) {
      const firstRow = seen.get(orderNo);
      if (firstRow !== undefined) {
        reject(raw.row, 'order_no', `订单号与第 ${firstRow} 行重复（同一订单的行须相邻）`);
        result.rejected++;
        continue;
      }
      seen.set(orderNo, raw.row);
    }
    if (!parsed.ok) {
      for (const e of parsed.errors) reject(raw.row, e.field, e.reason);
      if (!orderNo) {
        result.orders++;
        result.rejected++;
        continue;
      }
      groupBad = true;
      group.push({ row: raw.row, orderNo, head: {} });
      continue;
    }
    group.push(parsed.line);
  }
  if (!columns) throw badRequest('import_empty', '文件是空的（没有表头）。');
  await closeGroup();
  await flush();
  while (inFlight.length) await settleOldest();

  const errorsFile = await writeErrorReport(result.errors, file, opts.errorsFile);
  if (errorsFile) result.errorsFile = errorsFile;
  await audit(services, {
    actor,
    action: 'order.import',
    targetType: 'store',
    targetId: `import:${basename(file)}`.slice(0, 64),
    channel: access.channel,
    requestId: access.requestId,
    detail: { rowsRead: result.rowsRead, orders: result.orders, recorded: result.recorded, replayed: result.replayed, rejected: result.rejected, membersCreated: result.membersCreated, dryRun: result.dryRun },
  });
  progress(true);
  return result;
}
