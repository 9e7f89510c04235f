import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { validator } from 'hono/validator';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { badRequest } from '../crm/kernel/index.ts';
import type { AppEnv } from './env.ts';
import { handleHttpError, handleNotFound } from './errors.ts';

/** A small app with the edge's handlers and routes that fail in each way; log lines are kept. */
function app() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const a = new Hono<AppEnv>();
  a.use(requestId({ headerName: 'x-request-id' }));
  a.onError(handleHttpError(logger));
  a.notFound(handleNotFound);
  a.post('/json', validator('json', (v) => v), (c) => c.json({ ok: true }));
  a.get('/app-error', () => {
    throw badRequest('invalid_request', 'limit: expected a number', { issues: [{ path: ['limit'], message: 'expected a number' }] });
  });
  a.get('/http-exception', () => {
    throw new HTTPException(413, { message: 'too big' });
  });
  a.get('/bug', () => {
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  });
  return { a, lines };
}

const call = async (a: Hono<AppEnv>, path: string, init?: RequestInit) => {
  const res = await a.request(path, init);
  return { status: res.status, id: res.headers.get('x-request-id'), text: await res.text() };
};

describe('the edge error handler', () => {
  it('answers malformed JSON caught by Hono’s validator with 400 invalid_json', async () => {
    const { a } = app();
    const r = await call(a, '/json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ error: { code: 'invalid_json', message: 'the request body is not valid JSON', requestId: r.id } });
  });

  it('keeps an AppError’s registered status and code, with its issues', async () => {
    const { a, lines } = app();
    const r = await call(a, '/app-error');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({
      error: { code: 'invalid_request', message: 'limit: expected a number', requestId: r.id, issues: [{ path: ['limit'], message: 'expected a number' }] },
    });
    expect(lines.find((l) => l.code === 'invalid_request')).toMatchObject({ level: 40, requestId: r.id, status: 400 });
  });

  it('turns a 4xx HTTPException into its code', async () => {
    const { a } = app();
    const r = await call(a, '/http-exception');
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text).error).toMatchObject({ code: 'payload_too_large', message: 'too big' });
  });

  it('answers anything else with a 500 that shows only the request id, and logs the stack', async () => {
    const { a, lines } = app();
    const r = await call(a, '/bug');
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text)).toEqual({ error: { code: 'internal_error', message: 'internal error', requestId: r.id } });
    expect(r.text).not.toMatch(/TypeError|reading 'x'|at /);
    expect(lines.find((l) => l.msg === 'unhandled error')).toMatchObject({ level: 50, requestId: r.id, err: { type: 'TypeError' } });
  });

  it('answers an unknown path with 404 not_found in the same body', async () => {
    const { a } = app();
    const r = await call(a, '/nowhere');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toEqual({ error: { code: 'not_found', message: 'no route for GET /nowhere', requestId: r.id } });
  });
});
