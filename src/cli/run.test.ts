import { describe, expect, it } from 'vitest';
import { AppError } from '../crm/kernel/errors.ts';
import { describeCliError } from './run.ts';

describe('describeCliError', () => {
  it('gives one line with the code, never a stack', () => {
    expect(describeCliError(new AppError('seed_not_empty', 'the database already has members'))).toBe('the database already has members [seed_not_empty]');
    expect(describeCliError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }))).toBe('connect ECONNREFUSED 127.0.0.1:3306 [ECONNREFUSED]');
    expect(describeCliError(new Error('plain'))).toBe('plain');
    expect(describeCliError('text')).toBe('text');
  });
});
