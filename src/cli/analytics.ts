/**
 * `npm run analytics -- bgnbd --input <file> --format cdnow|csv --calibration-end YYYY-MM-DD
 *  --holdout-end YYYY-MM-DD --out <csv>`
 *
 * Fits BG/NBD and Gamma-Gamma on any transaction file (no database), prints the fitted
 * parameters as JSON on stdout and writes one CSV row per customer. Time unit: weeks
 * (the unit of the published CDNOW figures). Exit codes: 0 ok, 1 unreadable or malformed
 * input / unwritable output, 2 bad arguments.
 */
import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { fitBgNbd, fitGammaGamma, pearson, readTransactionFile, scoreCustomers, TransactionFormat, TransactionLedger, TransactionParseError, type GammaGammaFit } from '../crm/insights/index.ts';
import { parseIsoDay } from '../crm/kernel/index.ts';

const USAGE = `usage: npm run analytics -- bgnbd --input <file> --format cdnow|csv \\
         --calibration-end YYYY-MM-DD --holdout-end YYYY-MM-DD --out <csv>

  --input            transaction file
  --format           cdnow: whitespace-separated master id, sample id, YYYYMMDD, CDs, dollars
                     csv:   header customer_id,date,amount; date YYYY-MM-DD
  --calibration-end  last day (inclusive) of the period the models are fitted on
  --holdout-end      last day (inclusive) of the holdout period that follows it
  --out              per-customer CSV: customer_id,x,t_x,T,p_alive,expected_holdout,
                     actual_holdout,churn_risk (times in weeks)`;

const UNIT_DAYS = 7;
/** Above this many transactions, report the stages on stderr. */
const CHATTY_ABOVE = 1_000_000;

const isoDate = z.string().refine((s) => !Number.isNaN(parseIsoDay(s)), { message: 'must be a real date YYYY-MM-DD' });

const BgnbdArgs = z
  .object({
    input: z.string().min(1),
    format: TransactionFormat,
    'calibration-end': isoDate,
    'holdout-end': isoDate,
    out: z.string().min(1),
  })
  .refine((a) => parseIsoDay(a['holdout-end']) > parseIsoDay(a['calibration-end']), {
    message: 'must be after --calibration-end',
    path: ['holdout-end'],
  });
export type BgnbdArgs = z.infer<typeof BgnbdArgs>;

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
    if (command !== 'bgnbd') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
    const args = parseBgnbdArgs(rest);
    const report = await runBgnbd(args, io);
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

function parseBgnbdArgs(rest: string[]): BgnbdArgs {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        input: { type: 'string' },
        format: { type: 'string' },
        'calibration-end': { type: 'string' },
        'holdout-end': { type: 'string' },
        out: { type: 'string' },
      },
    }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const parsed = BgnbdArgs.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${i.path.join('.') || '?'}: ${i.path.length && values[String(i.path[0])] === undefined ? 'required' : i.message}`);
    throw new UsageError(problems.join('; '));
  }
  return parsed.data;
}

async function runBgnbd(args: BgnbdArgs, io: Io) {
  const calibrationEnd = parseIsoDay(args['calibration-end']);
  const holdoutEnd = parseIsoDay(args['holdout-end']);
  const ledger = new TransactionLedger();
  let stats;
  try {
    stats = await readTransactionFile(args.input, args.format, ledger.sink, {
      onProgress: (lines) => io.stderr(`analytics: read ${lines.toLocaleString('en-US')} lines\n`),
    });
  } catch (e) {
    if (e instanceof TransactionParseError) throw new InputError(`${args.input}: ${e.message}`);
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw new InputError(`cannot read ${args.input}: ${err.message}`);
    throw e;
  }
  const chatty = stats.transactions > CHATTY_ABOVE;
  const say = (s: string) => chatty && io.stderr(`analytics: ${s}\n`);

  const s = ledger.summarize({ calibrationEnd, holdoutEnd, unitDays: UNIT_DAYS });
  if (s.ids.length === 0) throw new InputError(`no customer in ${args.input} made a first purchase on or before ${args['calibration-end']}`);
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
  await writeCustomerCsv(args.out, s, scores);

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
    input: args.input,
    format: args.format,
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
    out: args.out,
  };
}

async function writeCustomerCsv(
  path: string,
  s: { ids: string[]; x: Float64Array; tx: Float64Array; T: Float64Array; holdout: Float64Array },
  scores: { pAlive: Float64Array; expected: Float64Array; churnRisk: Float64Array },
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
  scores: { pAlive: Float64Array; expected: Float64Array; churnRisk: Float64Array },
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
  await write('customer_id,x,t_x,T,p_alive,expected_holdout,actual_holdout,churn_risk\n');
  let chunk = '';
  for (let i = 0; i < s.ids.length && !failure; i++) {
    chunk += `${csvField(s.ids[i] ?? '')},${s.x[i]},${num(s.tx[i])},${num(s.T[i])},${num(scores.pAlive[i])},${num(scores.expected[i])},${s.holdout[i]},${num(scores.churnRisk[i])}\n`;
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
