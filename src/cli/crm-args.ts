import { parseArgs } from 'node:util';
import { EXPORT_FIELDS, IMPORT_FIELDS, parseMap, type ExportField, type ImportField } from '../crm/customers/index.ts';

/** Arguments of `npm run crm -- import|export …`, parsed without side effects so they can be tested. */

export const CRM_USAGE = `usage:
  npm run crm -- import <file.csv|file.xlsx> [--map phone=手机号,name=姓名,...] [--store CODE]
                 [--as USERID] [--errors FILE] [--batch N] [--dry-run] [--quiet]
  npm run crm -- export --out FILE [--fields memberNo,name,phone,...] [--store CODE] [--tag NAME]
                 [--unmask] [--format csv|xlsx] [--as USERID]

import
  Reads members from a UTF-8 CSV (with or without BOM) or the first sheet of an .xlsx; the phone
  is the key, so importing the same file twice changes nothing and a changed row updates the member.
  --map F=H,...  which header holds which field (fields: ${IMPORT_FIELDS.join(', ')});
                 unmapped fields are recognised from common headers (手机号/手机/phone, 姓名/name,
                 性别/gender, 生日/birthday, 等级/level, 积分/points, 门店/store, 注册时间/registered_at, 来源/source)
  --store CODE   home store (code or name) of new members whose row has no store
  --as USERID    the staff member the import runs as (default admin_01): permissions, store scope, audit
  --errors FILE  the error report (default: <file>.errors.csv beside the input)
  --batch N      rows per transaction (default 500)
  --dry-run      check and write everything, then roll back
  --quiet        no progress on stderr

export
  Exports members through the audited export: phones masked unless --unmask (needs member.phone.view).
  --fields LIST  comma-separated, any of ${EXPORT_FIELDS.join(', ')} (default all)
  --store CODE   only members of this home store     --tag NAME   only members with this tag
  --format F     csv (UTF-8 with BOM, default; or from --out's extension) or xlsx

Exit codes: 0 done, 1 failed (message and code on stderr; an import with a rolled-back batch), 2 bad arguments.`;

export type CrmCommand =
  | { cmd: 'help' }
  | { cmd: 'import'; file: string; map?: Partial<Record<ImportField, string>>; store?: string; as: string; errors?: string; batch?: number; dryRun: boolean; quiet: boolean }
  | { cmd: 'export'; out: string; fields?: ExportField[]; store?: string; tag?: string; unmask: boolean; format: 'csv' | 'xlsx'; as: string };

export type ParsedCrmCli = { ok: true; command: CrmCommand } | { ok: false; error: string };

export function parseCrmArgs(argv: string[]): ParsedCrmCli {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') return { ok: true, command: { cmd: 'help' } };
  if (cmd !== 'import' && cmd !== 'export') return { ok: false, error: `unknown command "${cmd}" (import or export)` };
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: cmd === 'import',
      options: {
        map: { type: 'string' },
        store: { type: 'string' },
        as: { type: 'string', default: 'admin_01' },
        errors: { type: 'string' },
        batch: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
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
  if (cmd === 'import') {
    const bad = only(['map', 'store', 'errors', 'batch', 'dry-run', 'quiet']);
    if (bad) return { ok: false, error: bad };
    if (positionals.length !== 1) return { ok: false, error: positionals.length ? 'import takes one file' : 'import needs a file' };
    let map: Partial<Record<ImportField, string>> | undefined;
    if (str('map') !== undefined) {
      try {
        map = parseMap(str('map')!);
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
    }
    const batch = str('batch');
    if (batch !== undefined && !/^\d+$/.test(batch)) return { ok: false, error: '--batch must be a whole number' };
    if (batch !== undefined && (+batch < 1 || +batch > 5000)) return { ok: false, error: '--batch must be between 1 and 5000' };
    return { ok: true, command: { cmd: 'import', file: positionals[0]!, map, store: str('store'), as: str('as')!, errors: str('errors'), batch: batch === undefined ? undefined : +batch, dryRun: values['dry-run'] === true, quiet: values.quiet === true } };
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
