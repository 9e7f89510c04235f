import { parseArgs } from 'node:util';
import { ENCODING_CHOICES, EXPORT_FIELDS, IMPORT_FIELDS, parseMap, type EncodingChoice, type ExportField, type ImportField } from '../crm/customers/index.ts';
import { ORDER_FIELDS, parseOrderMap, type OrderField } from '../crm/lifecycle/index.ts';

/** Arguments of `npm run crm -- import|import-orders|export …`, parsed without side effects so they can be tested. */

export const CRM_USAGE = `usage:
  npm run crm -- import <file.csv|file.xlsx> [--map phone=手机号,name=姓名,...] [--store CODE]
                 [--as USERID] [--errors FILE] [--batch N] [--encoding E] [--dry-run] [--quiet]
  npm run crm -- import-orders <file.csv|file.xlsx> [--map order_no=单号,phone=手机号,...] [--store CODE]
                 [--create-members] [--as USERID] [--errors FILE] [--batch N] [--encoding E] [--dry-run] [--quiet]
  npm run crm -- export --out FILE [--fields memberNo,name,phone,...] [--store CODE] [--tag NAME]
                 [--unmask] [--format csv|xlsx] [--as USERID]
  npm run crm -- rotate-keys [--batch N] [--quiet]

import
  Reads members from a CSV (UTF-8 with or without BOM, GBK/GB18030 or UTF-16, detected) or the first sheet of an .xlsx; the phone
  is the key, so importing the same file twice changes nothing and a changed row updates the member.
  --map F=H,...  which header holds which field (fields: ${IMPORT_FIELDS.join(', ')});
                 unmapped fields are recognised from common headers (手机号/手机/phone, 姓名/name,
                 性别/gender, 生日/birthday, 等级/level, 积分/points, 门店/store, 注册时间/registered_at, 来源/source,
                 邮箱/email, 客户编号/customer_no, 备注/remarks, 标签/tags, 省份/城市/区县/地址 address)
  --store CODE   home store (code or name) of new members whose row has no store
  --as USERID    the staff member the import runs as (default admin_01): permissions, store scope, audit
  --errors FILE  the error report (default: <file>.errors.csv beside the input)
  --batch N      rows per transaction (default 500)
  --encoding E   CSV text encoding: ${ENCODING_CHOICES.join(', ')} (default auto)
  --dry-run      check and write everything, then roll back
  --quiet        no progress on stderr

import-orders
  Records paid orders from a CSV or .xlsx (one row per order, or one row per item with the order
  number repeated on adjacent rows) through the same intake as POST /api/crm/orders; the order
  number is the key, so importing the same file twice records nothing new.
  --map F=H,...  fields: ${ORDER_FIELDS.join(', ')}; recognised headers include 订单号, 手机号,
                 会员号, 门店, 实付金额, 支付时间, 支付方式, 渠道, 商品, 数量, 单价
  --store CODE   the store of orders whose row names none
  --create-members  an unknown phone creates the member (otherwise the order is rejected)
  --batch N      orders per batch (default and at most 1000; two batches in flight)
  (--as, --errors, --encoding, --dry-run, --quiet as for import)

export
  Exports members through the audited export: phones masked unless --unmask (needs member.phone.view).
  --fields LIST  comma-separated, any of ${EXPORT_FIELDS.join(', ')} (default all)
  --store CODE   only members of this home store     --tag NAME   only members with this tag
  --format F     csv (UTF-8 with BOM, default; or from --out's extension) or xlsx

rotate-keys
  Re-encrypts every sealed phone and email (members and their profile history) that is not under
  DATA_KEY_ID with it, in batches with progress; values already under it are skipped, so a stopped
  run is simply started again. DATA_KEYS must still hold the old keys; once it reports done, the old
  ids can be removed from DATA_KEYS (docs/deployment.md, "Rotating the keys").
  --batch N      members per statement (default 1000, at most 10000)

Exit codes: 0 done, 1 failed (message and code on stderr; an import with a rolled-back batch), 2 bad arguments.`;

export type CrmCommand =
  | { cmd: 'help' }
  | { cmd: 'import'; file: string; map?: Partial<Record<ImportField, string>>; store?: string; as: string; errors?: string; batch?: number; encoding?: EncodingChoice; dryRun: boolean; quiet: boolean }
  | { cmd: 'import-orders'; file: string; map?: Partial<Record<OrderField, string>>; store?: string; createMembers: boolean; as: string; errors?: string; batch?: number; encoding?: EncodingChoice; dryRun: boolean; quiet: boolean }
  | { cmd: 'rotate-keys'; batch?: number; quiet: boolean }
  | { cmd: 'export'; out: string; fields?: ExportField[]; store?: string; tag?: string; unmask: boolean; format: 'csv' | 'xlsx'; as: string };

export type ParsedCrmCli = { ok: true; command: CrmCommand } | { ok: false; error: string };

export function parseCrmArgs(argv: string[]): ParsedCrmCli {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') return { ok: true, command: { cmd: 'help' } };
  if (cmd !== 'import' && cmd !== 'import-orders' && cmd !== 'export' && cmd !== 'rotate-keys') return { ok: false, error: `unknown command "${cmd}" (import, import-orders, export or rotate-keys)` };
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: cmd !== 'export' && cmd !== 'rotate-keys',
      options: {
        map: { type: 'string' },
        store: { type: 'string' },
        as: { type: 'string', default: 'admin_01' },
        errors: { type: 'string' },
        batch: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'create-members': { type: 'boolean', default: false },
        encoding: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        fields: { type: 'string' },
        tag: { type: 'string' },
        unmask: { type: 'boolean', default: false },
        format: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  if (values.help) return { ok: true, command: { cmd: 'help' } };
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const only = (allowed: string[]) => {
    const extra = Object.keys(values).filter((k) => !allowed.includes(k) && values[k] !== undefined && values[k] !== false && k !== 'as' && k !== 'help');
    return extra.length ? `--${extra[0]} is not an option of ${cmd}` : null;
  };
  if (cmd === 'import' || cmd === 'import-orders') {
    const orders = cmd === 'import-orders';
    const bad = only(['map', 'store', 'errors', 'batch', 'dry-run', 'quiet', 'encoding', ...(orders ? ['create-members'] : [])]);
    if (bad) return { ok: false, error: bad };
    if (positionals.length !== 1) return { ok: false, error: positionals.length ? `${cmd} takes one file` : `${cmd} needs a file` };
    let map: Partial<Record<string, string>> | undefined;
    if (str('map') !== undefined) {
      try {
        map = orders ? parseOrderMap(str('map')!) : parseMap(str('map')!);
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
    }
    const batch = str('batch');
    const maxBatch = orders ? 1000 : 5000;
    if (batch !== undefined && !/^\d+$/.test(batch)) return { ok: false, error: '--batch must be a whole number' };
    if (batch !== undefined && (+batch < 1 || +batch > maxBatch)) return { ok: false, error: `--batch must be between 1 and ${maxBatch}` };
    const encoding = str('encoding')?.toLowerCase();
    if (encoding !== undefined && !(ENCODING_CHOICES as readonly string[]).includes(encoding)) return { ok: false, error: `--encoding must be one of ${ENCODING_CHOICES.join(', ')}` };
    const common = { file: positionals[0]!, store: str('store'), as: str('as')!, errors: str('errors'), batch: batch === undefined ? undefined : +batch, encoding: encoding as EncodingChoice | undefined, dryRun: values['dry-run'] === true, quiet: values.quiet === true };
    if (orders) return { ok: true, command: { cmd, ...common, map: map as Partial<Record<OrderField, string>> | undefined, createMembers: values['create-members'] === true } };
    return { ok: true, command: { cmd, ...common, map: map as Partial<Record<ImportField, string>> | undefined } };
  }
  if (cmd === 'rotate-keys') {
    const bad = only(['batch', 'quiet']);
    if (bad) return { ok: false, error: bad };
    const batch = str('batch');
    if (batch !== undefined && (!/^\d+$/.test(batch) || +batch < 1 || +batch > 10_000)) return { ok: false, error: '--batch must be a whole number between 1 and 10000' };
    return { ok: true, command: { cmd, batch: batch === undefined ? undefined : +batch, quiet: values.quiet === true } };
  }
  const bad = only(['fields', 'store', 'tag', 'unmask', 'format', 'out']);
  if (bad) return { ok: false, error: bad };
  const out = str('out');
  if (!out) return { ok: false, error: 'export needs --out FILE' };
  const format = str('format') ?? (out.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv');
  if (format !== 'csv' && format !== 'xlsx') return { ok: false, error: '--format must be csv or xlsx' };
  let fields: ExportField[] | undefined;
  if (str('fields') !== undefined) {
    fields = str('fields')!.split(',').map((f) => f.trim()).filter(Boolean) as ExportField[];
    const unknown = fields.filter((f) => !EXPORT_FIELDS.includes(f));
    if (unknown.length || !fields.length) return { ok: false, error: `--fields: unknown field ${unknown.join(', ') || '(none given)'} (any of ${EXPORT_FIELDS.join(', ')})` };
  }
  return { ok: true, command: { cmd: 'export', out, fields, store: str('store'), tag: str('tag'), unmask: values.unmask === true, format, as: str('as')! } };
}
