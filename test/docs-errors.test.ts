import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AppError,
  ERROR_CODES,
  badRequest,
  conflict,
  forbidden,
  notFound,
  payloadTooLarge,
  unauthorized,
  type AppErrorOptions,
  type ErrorCode,
  type ErrorSpec,
} from '../src/crm/kernel/index.ts';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const specs = Object.entries(ERROR_CODES) as [string, ErrorSpec][];

/** The row docs/errors.md must have for a code (printed when it is missing or differs). */
const expectedRow = (code: string, s: ErrorSpec) =>
  `| \`${code}\` | ${s.alsoStatus ? `${s.status} (${s.alsoStatus.status} when ${s.alsoStatus.when})` : s.status} | ${s.retryable ? 'yes' : 'no'} | ${s.description} |`;

/** Table rows of the doc, by code. */
const rows = new Map(
  doc
    .split('\n')
    .map((line) => [/^\| `([a-z0-9_]+)` \|/.exec(line)?.[1], line.trim()] as const)
    .filter((r): r is readonly [string, string] => r[0] !== undefined),
);

describe('docs/errors.md', () => {
  it('lists exactly the registered codes', () => {
    const documented = [...rows.keys()].sort();
    const registered = Object.keys(ERROR_CODES).sort();
    expect(documented.filter((c) => !registered.includes(c)), 'documented but not registered').toEqual([]);
    expect(registered.filter((c) => !documented.includes(c)), 'registered but not documented').toEqual([]);
    expect(doc.split('\n').filter((l) => /^\| `[a-z0-9_]+` \|/.test(l))).toHaveLength(registered.length); // no code twice
  });

  it('gives each code its registered status, retryable flag and meaning', () => {
    const wrong = specs.filter(([code, s]) => rows.get(code) !== expectedRow(code, s)).map(([code, s]) => expectedRow(code, s));
    expect(wrong, 'rows to put in docs/errors.md').toEqual([]);
  });
});

describe('error registry', () => {
  it('gives AppError its status and retryable flag, and the helpers their status', () => {
    const e = new AppError('wecom_rate_limited', 'slow down', { details: { errcode: 45009 } });
    expect(e).toMatchObject({ code: 'wecom_rate_limited', status: 503, retryable: true, details: { errcode: 45009 }, message: 'slow down' });
    expect(new AppError('channel_not_configured', 'x')).toMatchObject({ status: 503, retryable: false });
    expect(new AppError('channel_not_configured', 'x', { status: 500 }).status).toBe(500);
    expect([
      badRequest('invalid_json', 'x').status,
      unauthorized('unauthorized', 'x').status,
      forbidden('permission_denied', 'x').status,
      notFound('member_not_found', 'x').status,
      conflict('tag_exists', 'x').status,
      payloadTooLarge('payload_too_large', 'x').status,
    ]).toEqual([400, 401, 403, 404, 409, 413]);
  });

  it('accepts only registered codes, and each shorthand only the codes of its status (checked by tsc)', () => {
    expectTypeOf<'invalid_json'>().toExtend<ErrorCode>();
    expectTypeOf<'no_such_code'>().not.toExtend<ErrorCode>();
    expectTypeOf<'member_not_found'>().toExtend<Parameters<typeof notFound>[0]>();
    expectTypeOf<'invalid_json'>().not.toExtend<Parameters<typeof notFound>[0]>();
    expectTypeOf<{ status: 500 }>().toExtend<AppErrorOptions<'channel_not_configured'>>();
    expectTypeOf<{ status: 500 }>().not.toExtend<AppErrorOptions<'member_not_found'>>();
  });

  it('has one meaning per code and codes in snake_case', () => {
    for (const [code, s] of specs) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(s.description.length, code).toBeGreaterThan(10);
    }
  });
});
