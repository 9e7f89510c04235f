import { createApiToken } from '../../src/api/tokens.ts';
import { createFixture, type Fixture } from '../support/crm/fixture.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';

export interface ApiTestEnv {
  env: TestEnv;
  rt: Runtime;
  fx: Fixture;
  /** A fresh API token per fixture staff member. */
  tokens: Record<keyof Fixture['staff'], string>;
  call(token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; requestId: string | null; headers: Headers }>;
  auditRows(where?: string, params?: unknown[]): Promise<any[]>;
  cleanup(): Promise<void>;
}

/** A real database with the hand-made CRM fixture, the whole HTTP app, and tokens for every role. */
export async function createApiTestEnv(label: string, envVars: Record<string, string> = {}, opts: { now?: () => Date } = {}): Promise<ApiTestEnv> {
  const env = await createTestEnv(label, envVars, opts);
  const fx = await createFixture(env.services);
  const rt = createRuntime(env.services);
  const tokens = {} as Record<keyof Fixture['staff'], string>;
  for (const [key, actor] of Object.entries(fx.staff) as [keyof Fixture['staff'], Fixture['staff'][keyof Fixture['staff']]][]) {
    tokens[key] = (await createApiToken(env.services, { staff: actor.wecomUserId, name: `test-${key}` })).token;
  }
  return {
    env,
    rt,
    fx,
    tokens,
    async call(token, method, path, body) {
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await rt.app.request(path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON (the docs page) */
      }
      return { status: res.status, body: parsed as any, requestId: res.headers.get('x-request-id'), headers: res.headers };
    },
    async auditRows(where = '1=1', params = []) {
      const [rows] = await env.services.sql.query<any[]>(`SELECT * FROM audit_logs WHERE ${where} ORDER BY id`, params);
      return rows;
    },
    async cleanup() {
      await rt.stop();
      await env.cleanup();
    },
  };
}
