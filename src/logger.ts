import { pino, type Logger } from 'pino';
import { SECRET_KEYS } from './config.ts';

export type { Logger };

/** Structured JSON logs; secrets are redacted wherever they appear as keys. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'wecom-crm-bot', ...base },
    redact: { paths: [...SECRET_KEYS, 'access_token', 'corpsecret', '*.access_token', '*.secret'], censor: '***' },
  });
}
