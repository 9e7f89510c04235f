import type { z } from 'zod';
import { badRequest } from '../../kernel/index.ts';

type SettingCode = 'invalid_sla_policy' | 'invalid_business_hours' | 'invalid_assignment_config';
type Issue = { path: string[]; message: string; code: string };

/** A 400 of `code` whose `issues` name each broken field, as the API's own 422 does. */
export function settingError(code: SettingCode, issues: Issue[]) {
  return badRequest(code, issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '), { issues });
}

/** A service setting checked by its schema, or settingError: a caller outside the API gets the same answer. */
export function parseSetting<S extends z.ZodType>(schema: S, raw: unknown, code: SettingCode): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw settingError(code, parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })));
}
