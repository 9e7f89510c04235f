import { pino, type Logger } from 'pino';
import { SECRET_KEYS } from './config.ts';

export type { Logger };

/** `scheme://user:password@host` → `scheme://user:***@host` (a Redis URL has an empty user: `redis://:***@host`). */
export function sanitiseUrl(s: string): string {
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
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}

/** Structured JSON logs; secrets are redacted wherever they appear as keys, and every line is scrubbed. */
export function createLogger(level: string, base: Record<string, unknown> = {}, opts: { secrets?: readonly string[] } = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 4);
  return pino(
    {
      level,
      base: { service: 'wecom-crm-bot', ...base },
      redact: {
        paths: [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), 'access_token', 'corpsecret', '*.access_token', '*.secret', 'password', '*.password', 'phone', '*.phone', 'authorization', '*.authorization'],
        censor: '***',
      },
    },
    { write: (line: string) => void process.stdout.write(scrubLine(line, secrets)) },
  );
}
