import { describe, expect, it } from 'vitest';
import { installKeyring, keyring } from './crm/kernel/index.ts';
import { ConfigError, consoleEnabled, describeConfig, listenHost, loadConfig, secretValues } from './config.ts';
import { firstNodeUrl, parseClusterNodes } from './redis.ts';
import { queuePrefix } from './jobs/queues.ts';

describe('config', () => {
  it('applies the documented defaults (docs/configuration.md) to an empty environment', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('mysql://root@127.0.0.1:3306/crm');
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.PORT).toBe(8787);
    expect(c.WECOM_API_BASE).toBe('https://qyapi.weixin.qq.com');
    expect(c.MP_API_BASE).toBe('https://api.weixin.qq.com');
    expect(c.LLM_API_KEY).toBeUndefined();
  });

  it('names every malformed variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x', WECOM_AES_KEY: 'short' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const vars = (e as ConfigError).issues.map((i) => i.variable).sort();
      expect(vars).toEqual(['DATABASE_URL', 'PORT', 'WECOM_AES_KEY']);
      expect((e as ConfigError).message).toMatch(/PORT/);
    }
  });

  it('requires the three WeCom callback settings together', () => {
    expect(() => loadConfig({ WECOM_TOKEN: 't' })).toThrow(/WECOM_AES_KEY[\s\S]*WECOM_CORP_ID/);
    expect(() => loadConfig({ MP_TOKEN: 't' })).toThrow(/MP_APP_ID: required when MP_TOKEN is set/);
    expect(loadConfig({ MP_TOKEN: 't', MP_APP_ID: 'wx123' }).MP_APP_ID).toBe('wx123');
  });

  it('treats empty strings as unset and hides secrets when described', () => {
    const c = loadConfig({ LLM_API_KEY: '', ADMIN_TOKEN: 'sekrit', DATABASE_URL: 'mysql://u:pw@db:3306/crm' });
    expect(c.LLM_API_KEY).toBeUndefined();
    const d = describeConfig(c);
    expect(d.ADMIN_TOKEN).toBe('***');
    expect(d.DATABASE_URL).toBe('mysql://u:***@db:3306/crm');
  });

  it('reads Redis Cluster seed nodes, hides their password, and hash-tags queue prefixes only on a cluster', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'nohost' })).toThrow(/REDIS_CLUSTER_NODES: must be comma-separated host:port/);
    expect(() => loadConfig({ READ_DATABASE_URL: 'postgres://x' })).toThrow(/READ_DATABASE_URL: must be a mysql:\/\/ URL/);
    const c = loadConfig({ REDIS_CLUSTER_NODES: 'redis://:s3cr%40t@10.0.0.1:7000, 10.0.0.2:7001' });
    expect(parseClusterNodes(c.REDIS_CLUSTER_NODES!)).toEqual({ nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }], password: 's3cr@t', tls: false });
    expect(describeConfig(c).REDIS_CLUSTER_NODES).toBe('redis://:***@10.0.0.1:7000, 10.0.0.2:7001');
    expect(secretValues(c)).toContain('s3cr@t');
    expect(firstNodeUrl(c)).toBe('redis://:s3cr%40t@10.0.0.1:7000');
    expect(queuePrefix(c, 'outbound')).toBe('{crm:outbound}');
    expect(queuePrefix(loadConfig({}), 'outbound')).toBe('crm');
  });

  it('keeps the console off and listens on every interface only in production, unless told otherwise', () => {
    const dev = loadConfig({});
    expect([consoleEnabled(dev), listenHost(dev)]).toEqual([true, '127.0.0.1']);
    // Production also needs the personal-data keys (loading them installs the keyring: restored after).
    const k = Buffer.alloc(32, 1).toString('base64');
    const production = { NODE_ENV: 'production', DATA_KEYS: `p1:${k}`, DATA_KEY_ID: 'p1', DATA_INDEX_KEY: k };
    const before = keyring();
    try {
      const prod = loadConfig(production);
      expect([consoleEnabled(prod), listenHost(prod)]).toEqual([false, '0.0.0.0']);
      expect(consoleEnabled(loadConfig({ ...production, CONSOLE: 'on' }))).toBe(true);
    } finally {
      installKeyring(before);
    }
    expect(consoleEnabled(loadConfig({ CONSOLE: 'off' }))).toBe(false);
    expect(listenHost(loadConfig({ HOST: '10.0.0.5' }))).toBe('10.0.0.5');
    expect(() => loadConfig({ CONSOLE: 'yes' })).toThrow(/CONSOLE/);
  });
});
