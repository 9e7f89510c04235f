import { pino, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { SECRET_KEYS, type Config } from './config.ts';

export type { Logger };

/** `scheme://user:password@host` → `scheme://user:***@host` (a Redis URL has an empty user: `redis://:***@host`). */
export function sanitiseUrl(s: string): string {
  // Most lines carry no URL with a scheme: the pattern needs "://", so a line without it is left as it is.
  if (!s.includes('://')) return s;
  return s.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s"]*):[^@/\s"]+@/gi, '$1:***@');
}

// A mainland mobile number standing alone (not part of a longer digit run such as an id or a time).
const MOBILE = /(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])/g;

/**
 * Every line passes through here before it is written, whatever logged it (an error message
 * that quotes a connection URL, a library's message with a member's number): URL passwords,
 * the configured secret values and mobile numbers never reach the log (docs/architecture.md,
 * conventions: configuration; docs/guides/administrator.md, logs).
 */
export function scrubLine(line: string, secrets: readonly string[] = []): string {
  let out = sanitiseUrl(line).replace(MOBILE, '$1****$2');
  for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join('***');
  return out;
}

/** LOG_FORMAT=auto: readable lines in development on a terminal, JSON anywhere else (a log shipper reads JSON). */
export function prettyLogs(cfg: Pick<Config, 'LOG_FORMAT' | 'NODE_ENV'>, isTty = Boolean(process.stdout.isTTY)): boolean {
  return cfg.LOG_FORMAT === 'pretty' || (cfg.LOG_FORMAT === 'auto' && cfg.NODE_ENV === 'development' && isTty);
}

/**
 * Structured JSON logs; secrets are redacted wherever they appear as keys, and every line is
 * scrubbed. `pretty` renders each scrubbed line with pino-pretty, in the same process and after
 * the scrub, so a readable line never carries what a JSON line would not.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}, opts: { secrets?: readonly string[]; pretty?: boolean; write?: (line: string) => void } = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 4);
  const out = opts.write ?? writeStdout;
  const render = opts.pretty ? pinoPretty.prettyFactory({ colorize: opts.write ? false : pinoPretty.isColorSupported, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }) : null;
  return pino(
    {
      level,
      base: { service: 'wecom-crm-bot', ...base },
      redact: {
        paths: [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), 'access_token', 'corpsecret', '*.access_token', '*.secret', 'password', '*.password', 'phone', '*.phone', 'authorization', '*.authorization'],
        censor: '***',
      },
    },
    {
      write: (line: string) => {
        const clean = scrubLine(line, secrets);
        out(render ? prettyOr(render, clean) : clean);
      },
    },
  );
}

/**
 * Log lines to stdout, one write per turn of the event loop instead of one per line: stdout is
 * a pipe or a file in production, and Node writes those synchronously — under load two lines a
 * chat turn were two write(2) calls each, ~5 % of the server's CPU profile (docs/benchmarks.md,
 * bench:http). Lines written in one turn go out together once it ends (setImmediate), in order;
 * the process's exit writes what is still held, so `process.exit` after a log line keeps it.
 * Only a SIGKILL can lose lines: at most the current turn's.
 */
let held: string[] = [];
let flushing = false;
/** Writes the held lines now (what the exit does; a caller reading stdout synchronously). */
export function flushStdout(): void {
  flushing = false;
  if (!held.length) return;
  const chunk = held.length === 1 ? held[0]! : held.join('');
  held = [];
  process.stdout.write(chunk);
}
function writeStdout(line: string): void {
  held.push(line);
  if (flushing) return;
  flushing = true;
  setImmediate(flushStdout);
}
process.on('exit', flushStdout);

/** The readable form of a scrubbed JSON line; the line as it is when the scrub left it unparseable. */
function prettyOr(render: (log: object) => string, line: string): string {
  try {
    return render(JSON.parse(line) as object);
  } catch {
    return line;
  }
}
