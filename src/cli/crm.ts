/**
 * `npm run crm -- import <file> …`, `npm run crm -- import-orders <file> …`, `npm run crm -- export --out <file> …` (docs/import-export.md)
 * and `npm run crm -- rotate-keys` (docs/deployment.md):
 * see CRM_USAGE. Exit codes: 0 done, 1 failure (message and code, no stack trace; also
 * an import in which a batch was rolled back), 2 bad arguments or configuration.
 */
import ExcelJS from 'exceljs';
import { loadConfig } from '../config.ts';
import { CRM_USAGE, parseCrmArgs, type CrmCommand } from './crm-args.ts';
import { consoleAccess, EXPORT_FIELDS, exportMembers, rotateMemberKeys, storeIdOf, writeCsv } from '../crm/customers/index.ts';
import { importMembers, importOrders } from '../crm/lifecycle/index.ts';
import { progressPrinter } from './import-progress.ts';
import { createServices, type Services } from '../services.ts';
import { runCli } from './run.ts';

async function runImport(services: Services, c: Extract<CrmCommand, { cmd: 'import' }>): Promise<number> {
  const access = await consoleAccess(services, c.as);
  const defaultStoreId = c.store === undefined ? undefined : await storeIdOf(services, c.store);
  const r = await importMembers(access, c.file, { map: c.map, defaultStoreId, dryRun: c.dryRun, batchSize: c.batch, errorsFile: c.errors, encoding: c.encoding, onProgress: c.quiet ? undefined : progressPrinter() });
  const { errors, ...summary } = r;
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (r.rejected) process.stderr.write(`${r.rejected} row(s) rejected (${errors.length} problem(s)); report: ${r.errorsFile}\n`);
  if (r.failedBatches) {
    process.stderr.write(`crm import: ${r.failedBatches} batch(es) rolled back [import_batch_failed]\n`);
    return 1;
  }
  return 0;
}

/**
 * Orders are recorded without the journey engine's queue (a command-line run has no workers):
 * the trigger sweep enrols the members of `order_paid` journeys within minutes.
 */
async function runOrderImport(services: Services, c: Extract<CrmCommand, { cmd: 'import-orders' }>): Promise<number> {
  const access = await consoleAccess(services, c.as);
  const defaultStoreId = c.store === undefined ? undefined : await storeIdOf(services, c.store);
  const r = await importOrders(access, c.file, { map: c.map, defaultStoreId, createMembers: c.createMembers, dryRun: c.dryRun, batchSize: c.batch, errorsFile: c.errors, encoding: c.encoding, onProgress: c.quiet ? undefined : progressPrinter() });
  const { errors, ...summary } = r;
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (r.rejected) process.stderr.write(`${r.rejected} order(s) rejected (${errors.length} problem(s)); report: ${r.errorsFile}\n`);
  return 0;
}

async function runExport(services: Services, c: Extract<CrmCommand, { cmd: 'export' }>): Promise<number> {
  const access = await consoleAccess(services, c.as);
  const storeId = c.store === undefined ? undefined : await storeIdOf(services, c.store);
  const fields = c.fields ?? [...EXPORT_FIELDS];
  const rows = exportMembers(access, { fields, storeId, tag: c.tag, unmaskPhone: c.unmask });
  let n = 0;
  if (c.format === 'csv') {
    n = await writeCsv(
      c.out,
      fields,
      (async function* () {
        for await (const r of rows) yield fields.map((f) => r[f]);
      })(),
    );
  } else {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: c.out, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet('members');
    ws.addRow(fields).commit();
    for await (const r of rows) {
      ws.addRow(fields.map((f) => r[f])).commit();
      n++;
    }
    ws.commit();
    await wb.commit();
  }
  process.stdout.write(`${JSON.stringify({ out: c.out, format: c.format, rows: n, maskedPhone: !c.unmask })}\n`);
  return 0;
}

/** Re-seals under DATA_KEY_ID every value still under another key (docs/deployment.md, "Rotating the keys"). */
async function runRotateKeys(services: Services, c: Extract<CrmCommand, { cmd: 'rotate-keys' }>): Promise<number> {
  const conn = await services.sql.getConnection();
  try {
    const r = await rotateMemberKeys(conn, (m) => c.quiet || process.stderr.write(`${m}\n`), { batch: c.batch });
    process.stdout.write(`${JSON.stringify({ keyId: services.config.DATA_KEY_ID ?? null, ...r })}\n`);
    return 0;
  } finally {
    conn.release();
  }
}

async function main(): Promise<number> {
  const parsed = parseCrmArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`crm: ${parsed.error}\n\n${CRM_USAGE}\n`);
    return 2;
  }
  const command = parsed.command;
  if (command.cmd === 'help') {
    process.stdout.write(`${CRM_USAGE}\n`);
    return 0;
  }
  const config = loadConfig(); // a ConfigError exits 2 through runCli
  const services = createServices({ ...config, LOG_LEVEL: 'silent' });
  try {
    if (command.cmd === 'import') return await runImport(services, command);
    if (command.cmd === 'import-orders') return await runOrderImport(services, command);
    if (command.cmd === 'rotate-keys') return await runRotateKeys(services, command);
    return await runExport(services, command);
  } finally {
    await services.close();
  }
}

runCli(`crm ${process.argv[2] ?? ''}`, main);
