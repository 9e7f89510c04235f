/**
 * `npm run analytics -- <command> …` — the customer-base models on any transaction data, no
 * database needed (except `--format orders`, which reads the chain's own orders from
 * DATABASE_URL). Commands:
 *   bgnbd | mbgnbd | paretonbd   fit on the calibration period, score the holdout, per-customer CSV
 *   compare                      the three above raced by holdout log-likelihood (clv/compare.ts)
 *   bgbb                         BG/BB on discrete occasions (weekly visits by default)
 *   sbg                          sBG on contract-renewal survivor counts
 *   report                       the validation charts as PNG files (clv/validation.ts)
 * Parameters go to stdout as JSON. Time unit: weeks (the unit of the published CDNOW figures).
 * Exit codes: 0 ok, 1 unreadable or malformed input / unwritable output, 2 bad arguments.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  bgBbConditionalExpectedTransactions,
  bgBbPAlive,
  compareCustomerModels,
  fitBgBb,
  fitCustomerModel,
  fitGammaGamma,
  fitSbg,
  modelValidation,
  pearson,
  readTransactionFile,
  sbgRetentionRate,
  sbgSurvival,
  scoreCustomers,
  TransactionLedger,
  TransactionParseError,
  type CustomerModel,
  type GammaGammaFit,
  fitBgNbd,
} from '../crm/insights/index.ts';
import { readOrderTransactions } from '../crm/sales/index.ts';
import { parseIsoDay } from '../crm/kernel/index.ts';

const USAGE = `usage: npm run analytics -- bgnbd --input <file> [--format auto|cdnow|cdnow-full|csv] \\
         --calibration-end YYYY-MM-DD --holdout-end YYYY-MM-DD --out <csv>
       npm run analytics -- mbgnbd|paretonbd|compare|bgbb|report (same input flags) [--out <csv>]
       npm run analytics -- sbg --survivors 1000,869,743,... [--survivors …] [--ahead 5]

  --input            transaction file (or --format orders: the chain's orders from DATABASE_URL)
  --format           auto (default): told from the first line
                     cdnow:      the CDNOW sample — master id, sample id, YYYYMMDD, CDs, dollars
                     cdnow-full: the full CDNOW release — customer id, YYYYMMDD, CDs, dollars
                                 (spaces or commas, header line or not)
                     csv:        a header line; columns customer_id,date,amount unless mapped:
  --customer-column, --date-column, --amount-column   header names of those CSV columns
  --calibration-end  last day (inclusive) of the period the models are fitted on
  --holdout-end      last day (inclusive) of the holdout period that follows it
  --out              per-customer CSV: customer_id,x,t_x,T,p_alive,expected_holdout,
                     actual_holdout[,churn_risk] (times in weeks; bgbb: occasions)
  --period-days      bgbb: days per occasion (default 7: did the customer come that week)
  --out-dir          report: directory for the PNG charts (default ./model-report)
  --survivors        sbg: one cohort's size, then the number still under contract after
                     each period; repeat the flag for more cohorts
  --ahead            sbg: periods to project past the data (default 5)`;

const UNIT_DAYS = 7;
/** Above this many transactions, report the stages on stderr. */
const CHATTY_ABOVE = 1_000_000;

const isoDate = z.string().refine((s) => !Number.isNaN(parseIsoDay(s)), { message: 'must be a real date YYYY-MM-DD' });

const COMMANDS = ['bgnbd', 'mbgnbd', 'paretonbd', 'compare', 'bgbb', 'report', 'sbg'] as const;
type Command = (typeof COMMANDS)[number];

const InputFormat = z.enum(['auto', 'cdnow', 'cdnow-full', 'csv', 'orders']);

const TxArgs = z
  .object({
    input: z.string().min(1).optional(),
    format: InputFormat.default('auto'),
    'customer-column': z.string().min(1).optional(),
    'date-column': z.string().min(1).optional(),
    'amount-column': z.string().min(1).optional(),
    'calibration-end': isoDate,
    'holdout-end': isoDate,
    out: z.string().min(1).optional(),
    'out-dir': z.string().min(1).optional(),
    'period-days': z.coerce.number().int().min(1).max(366).default(7),
  })
  .refine((a) => parseIsoDay(a['holdout-end']) > parseIsoDay(a['calibration-end']), {
    message: 'must be after --calibration-end',
    path: ['holdout-end'],
  })
  .refine((a) => a.format === 'orders' || a.input !== undefined, { message: 'required', path: ['input'] });
export type TxArgs = z.infer<typeof TxArgs>;
/** The bgnbd command's arguments (kept under its old name: the output file is required there). */
export type BgnbdArgs = TxArgs;

class UsageError extends Error {}
/** An expected failure reported as one line on stderr with exit code 1. */
class InputError extends Error {}

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/** Runs the command; resolves to the process exit code. Never throws. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (!COMMANDS.includes(command as Command)) throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
    const report = await runCommand(command as Command, rest, io);
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`analytics: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      io.stderr(`analytics: ${e.message}\n`);
      return 1;
    }
    // Unexpected: still one readable line, no stack unless asked for.
    io.stderr(`analytics: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return 1;
  }
}

const TX_OPTIONS = {
  input: { type: 'string' },
  format: { type: 'string' },
  'customer-column': { type: 'string' },
  'date-column': { type: 'string' },
  'amount-column': { type: 'string' },
  'calibration-end': { type: 'string' },
  'holdout-end': { type: 'string' },
  out: { type: 'string' },
  'out-dir': { type: 'string' },
  'period-days': { type: 'string' },
} as const;

function parseFlags(rest: string[], options: NonNullable<Parameters<typeof parseArgs>[0]>['options']): Record<string, unknown> {
  try {
    return parseArgs({ args: rest, strict: true, allowPositionals: false, options }).values as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

function parseTxArgs(command: Command, rest: string[]): TxArgs {
  const values = parseFlags(rest, TX_OPTIONS);
  const parsed = TxArgs.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${i.path.join('.') || '?'}: ${i.path.length && values[String(i.path[0])] === undefined ? 'required' : i.message}`);
    throw new UsageError(problems.join('; '));
  }
  if (command === 'bgnbd' && !parsed.data.out) throw new UsageError('--out: required');
  return parsed.data;
}

async function runCommand(command: Command, rest: string[], io: Io): Promise<unknown> {
  if (command === 'sbg') return runSbg(rest);
  const args = parseTxArgs(command, rest);
  const { ledger, transactions, format } = await readInput(args, io);
  if (command === 'bgnbd') return runBgnbd(args, ledger, transactions, format, io);
  if (command === 'bgbb') return runBgBb(args, ledger, transactions, format);
  const calibrationEnd = parseIsoDay(args['calibration-end']);
  const holdoutEnd = parseIsoDay(args['holdout-end']);
  const s = ledger.summarize({ calibrationEnd, holdoutEnd, unitDays: UNIT_DAYS });
  if (s.ids.length === 0) throw new InputError(`no customer in the input made a first purchase on or before ${args['calibration-end']}`);
  const base = { command, input: args.input ?? 'orders', format, calibrationEnd: args['calibration-end'], holdoutEnd: args['holdout-end'], timeUnit: 'week', transactions, customers: s.ids.length };
  const horizon = (holdoutEnd - calibrationEnd) / UNIT_DAYS;
  if (command === 'compare') {
    const c = compareCustomerModels(s);
    return { ...base, ...c, note: `every 5th customer held out; chosen = highest holdout log-likelihood: ${c.chosen}` };
  }
  if (command === 'report') {
    const cmp = compareCustomerModels(s);
    const model = fitCustomerModel(cmp.chosen, s);
    // The churn risk calibrated is the model part of the product's risk: BG/NBD's P(no purchase in the holdout).
    const risk = scoreCustomers(fitBgNbd(s), s, horizon).churnRisk;
    const v = modelValidation(model, s, ledger, { calibrationEnd, holdoutEnd, unitDays: UNIT_DAYS }, risk);
    const dir = args['out-dir'] ?? 'model-report';
    // Loaded here: the chart renderer (ECharts, resvg) would slow every other command's start.
    const { modelReportCharts } = await import('../intents/render/charts/model-charts.ts');
    const charts = modelReportCharts(v, 'zh');
    try {
      await mkdir(dir, { recursive: true });
      for (const c of charts) await writeFile(join(dir, c.file), c.image.png);
    } catch (e) {
      throw new InputError(`cannot write ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { ...base, model: cmp.chosen, comparison: cmp.models.map((m) => ({ model: m.model, holdoutLogLikelihood: m.holdoutLogLikelihood })), holdoutWeeks: horizon, charts: charts.map((c) => ({ file: join(dir, c.file), alt: c.image.alt })), summary: v.summary };
  }
  const model = fitCustomerModel(command, s);
  if (!model.converged) io.stderr(`analytics: warning: the ${command} fit did not converge; parameters are the best found\n`);
  const expected = new Float64Array(s.ids.length);
  const alive = new Float64Array(s.ids.length);
  for (let i = 0; i < s.ids.length; i++) {
    expected[i] = model.expected(horizon, s.x[i]!, s.tx[i]!, s.T[i]!);
    alive[i] = model.pAlive(s.x[i]!, s.tx[i]!, s.T[i]!);
  }
  if (args.out) await writeCustomerCsv(args.out, s, { pAlive: alive, expected });
  return { ...base, holdoutWeeks: horizon, [command]: { ...model.params, logLikelihood: model.logLikelihood, converged: model.converged }, holdout: holdoutFigures(expected, s.holdout), ...(args.out ? { out: args.out } : {}) };
}

function holdoutFigures(expected: ArrayLike<number>, actual: ArrayLike<number>) {
  let predicted = 0;
  let seen = 0;
  for (let i = 0; i < actual.length; i++) {
    predicted += expected[i] ?? 0;
    seen += actual[i] ?? 0;
  }
  return { predictedPurchases: predicted, actualPurchases: seen, correlation: pearson(expected, actual) };
}

/** Reads the transaction file (or the chain's orders) into a ledger; parse errors become one-line InputErrors. */
async function readInput(args: TxArgs, io: Io): Promise<{ ledger: TransactionLedger; transactions: number; format: string }> {
  const ledger = new TransactionLedger();
  if (args.format === 'orders') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new UsageError('--format orders reads the chain\'s orders from DATABASE_URL, which is not set');
    const { createSqlPool } = await import('../db/sql.ts');
    const sql = createSqlPool(url, 2);
    try {
      return { ledger, transactions: await readOrderTransactions(sql, ledger.sink), format: 'orders' };
    } catch (e) {
      throw new InputError(`cannot read the orders: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await sql.end();
    }
  }
  const input = args.input!;
  const columns = { ...(args['customer-column'] ? { customer: args['customer-column'] } : {}), ...(args['date-column'] ? { date: args['date-column'] } : {}), ...(args['amount-column'] ? { amount: args['amount-column'] } : {}) };
  try {
    const stats = await readTransactionFile(input, args.format, ledger.sink, {
      columns,
      onProgress: (lines) => io.stderr(`analytics: read ${lines.toLocaleString('en-US')} lines\n`),
    });
    return { ledger, transactions: stats.transactions, format: stats.format };
  } catch (e) {
    if (e instanceof TransactionParseError) throw new InputError(`${input}: ${e.message}`);
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw new InputError(`cannot read ${input}: ${err.message}`);
    throw e;
  }
}

async function runBgBb(args: TxArgs, ledger: TransactionLedger, transactions: number, format: string) {
  const calibrationEnd = parseIsoDay(args['calibration-end']);
  const holdoutEnd = parseIsoDay(args['holdout-end']);
  const p = ledger.periodSummaries({ calibrationEnd, holdoutEnd, periodDays: args['period-days'] });
  if (p.ids.length === 0) throw new InputError(`no customer has a whole ${args['period-days']}-day occasion between the first purchase and ${args['calibration-end']}`);
  const fit = fitBgBb(p);
  const expected = p.ids.map((_, i) => bgBbConditionalExpectedTransactions(fit, p.nStar[i]!, p.x[i]!, p.tx[i]!, p.n[i]!));
  if (args.out) {
    const lines = ['customer_id,x,t_x,n,p_alive,expected_holdout,actual_holdout,holdout_occasions'];
    p.ids.forEach((id, i) => lines.push(`${csvField(id)},${p.x[i]},${p.tx[i]},${p.n[i]},${num(bgBbPAlive(fit, p.x[i]!, p.tx[i]!, p.n[i]!))},${num(expected[i])},${p.holdout[i]},${p.nStar[i]}`));
    try {
      await writeFile(args.out, `${lines.join('\n')}\n`);
    } catch (e) {
      throw new InputError(`cannot write ${args.out}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    command: 'bgbb', input: args.input ?? 'orders', format, calibrationEnd: args['calibration-end'], holdoutEnd: args['holdout-end'], periodDays: p.periodDays, transactions, customers: p.ids.length,
    bgbb: { alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma, delta: fit.delta, logLikelihood: fit.logLikelihood, converged: fit.converged },
    holdout: holdoutFigures(expected, p.holdout),
    ...(args.out ? { out: args.out } : {}),
  };
}

function runSbg(rest: string[]) {
  const values = parseFlags(rest, { survivors: { type: 'string', multiple: true }, ahead: { type: 'string' } });
  const raw = (values.survivors as string[] | undefined) ?? [];
  if (raw.length === 0) throw new UsageError('--survivors: required (e.g. --survivors 1000,869,743,653)');
  const cohorts = raw.map((text, k) => {
    const counts = text.split(',').map((v) => Number(v.trim()));
    if (counts.some((v) => !Number.isFinite(v))) throw new UsageError(`--survivors (cohort ${k + 1}): comma-separated numbers, got "${text}"`);
    return counts;
  });
  const ahead = values.ahead === undefined ? 5 : Number(values.ahead);
  if (!Number.isInteger(ahead) || ahead < 0 || ahead > 100) throw new UsageError('--ahead: a whole number of periods 0..100');
  let fit;
  try {
    fit = fitSbg(cohorts);
  } catch (e) {
    throw new InputError(e instanceof Error ? e.message : String(e));
  }
  const longest = Math.max(...cohorts.map((c) => c.length - 1));
  const periods = [...Array(longest + ahead + 1).keys()];
  return {
    command: 'sbg',
    cohorts: cohorts.length,
    sbg: { alpha: fit.alpha, beta: fit.beta, logLikelihood: fit.logLikelihood, converged: fit.converged },
    survival: periods.map((t) => ({ period: t, survival: sbgSurvival(fit, t), retentionRate: t === 0 ? null : sbgRetentionRate(fit, t), projected: t > longest })),
  };
}

async function runBgnbd(args: TxArgs, ledger: TransactionLedger, transactions: number, format: string, io: Io) {
  const calibrationEnd = parseIsoDay(args['calibration-end']);
  const holdoutEnd = parseIsoDay(args['holdout-end']);
  const stats = { transactions };
  const out = args.out!;
  const chatty = stats.transactions > CHATTY_ABOVE;
  const say = (s: string) => chatty && io.stderr(`analytics: ${s}\n`);

  const s = ledger.summarize({ calibrationEnd, holdoutEnd, unitDays: UNIT_DAYS });
  if (s.ids.length === 0) throw new InputError(`no customer in ${args.input ?? 'the orders'} made a first purchase on or before ${args['calibration-end']}`);
  say(`${stats.transactions.toLocaleString('en-US')} transactions, ${s.ids.length.toLocaleString('en-US')} customers; fitting BG/NBD`);
  const bg = fitBgNbd(s);
  if (!bg.converged) io.stderr('analytics: warning: the BG/NBD fit did not converge; parameters are the best found\n');

  say('fitting Gamma-Gamma');
  let gg: GammaGammaFit | null = null;
  try {
    gg = fitGammaGamma(s);
    if (!gg.converged) {
      io.stderr('analytics: warning: the Gamma-Gamma fit did not converge (spend may vary too little between customers for the model); parameters are the best found\n');
    }
  } catch (e) {
    io.stderr(`analytics: Gamma-Gamma not fitted: ${e instanceof Error ? e.message : String(e)}\n`);
  }

  const horizon = (holdoutEnd - calibrationEnd) / UNIT_DAYS;
  say(`scoring ${s.ids.length.toLocaleString('en-US')} customers`);
  const scores = scoreCustomers(bg, s, horizon);
  await writeCustomerCsv(out, s, scores);

  let predicted = 0;
  let actual = 0;
  let repeatCustomers = 0;
  for (let i = 0; i < s.ids.length; i++) {
    predicted += scores.expected[i] ?? 0;
    actual += s.holdout[i] ?? 0;
    if ((s.x[i] ?? 0) > 0) repeatCustomers++;
  }
  return {
    command: 'bgnbd',
    input: args.input ?? 'orders',
    format,
    calibrationEnd: args['calibration-end'],
    holdoutEnd: args['holdout-end'],
    timeUnit: 'week',
    holdoutWeeks: horizon,
    transactions: stats.transactions,
    customers: s.ids.length,
    repeatCustomers,
    bgnbd: { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b, logLikelihood: bg.logLikelihood, converged: bg.converged },
    gammaGamma: gg && { p: gg.p, q: gg.q, gamma: gg.gamma, logLikelihood: gg.logLikelihood, customers: gg.customers, converged: gg.converged },
    holdout: { predictedPurchases: predicted, actualPurchases: actual, correlation: pearson(scores.expected, s.holdout) },
    out,
  };
}

async function writeCustomerCsv(
  path: string,
  s: { ids: string[]; x: Float64Array; tx: Float64Array; T: Float64Array; holdout: Float64Array },
  scores: { pAlive: Float64Array; expected: Float64Array; churnRisk?: Float64Array },
): Promise<void> {
  try {
    await writeRows(path, s, scores);
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function writeRows(
  path: string,
  s: { ids: string[]; x: Float64Array; tx: Float64Array; T: Float64Array; holdout: Float64Array },
  scores: { pAlive: Float64Array; expected: Float64Array; churnRisk?: Float64Array },
): Promise<void> {
  const out = createWriteStream(path);
  let failure: Error | undefined;
  out.on('error', (e) => {
    failure = e;
  });
  // Wait for 'drain' on backpressure, or stop waiting on 'close' after an error; both
  // listeners are removed again so a million rows don't pile up listeners.
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  const write = async (chunk: string) => {
    if (failure) return;
    if (!out.write(chunk)) await drained();
  };
  await write(`customer_id,x,t_x,T,p_alive,expected_holdout,actual_holdout${scores.churnRisk ? ',churn_risk' : ''}\n`);
  let chunk = '';
  for (let i = 0; i < s.ids.length && !failure; i++) {
    chunk += `${csvField(s.ids[i] ?? '')},${s.x[i]},${num(s.tx[i])},${num(s.T[i])},${num(scores.pAlive[i])},${num(scores.expected[i])},${s.holdout[i]}${scores.churnRisk ? `,${num(scores.churnRisk[i])}` : ''}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  if (!failure) {
    await new Promise<void>((resolve) => {
      out.once('close', resolve);
      out.end(chunk);
    });
  }
  if (failure) throw failure;
}

/** Six decimals, trailing zeros trimmed: exact enough for scores, compact for 1M rows. */
function num(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '';
  return String(Number(v.toFixed(6)));
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
