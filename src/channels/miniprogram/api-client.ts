/**
 * api.weixin.qq.com client for one mini-program: the access token (getAccessToken, cached in
 * Redis for every process by the shared token cache) and token-bearing POSTs. The host comes from
 * MP_API_BASE so the test fake (test/fakes/weixin-api.ts) or a proxy can stand in.
 * Never logs the token or the secret (the token travels in the query string, so URLs are never logged).
 */
import { callTencentApi } from '../shared/tencent-http.ts';
import type { Config } from '../../config.ts';
import { AppError } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';
import { createTokenCache } from '../shared/token-cache.ts';
import { IP_NOT_WHITELISTED, MP_TOKEN_ERRCODES, mpApiError, mpTransportError } from './api-errors.ts';

export interface MpApiReply {
  errcode: number;
  errmsg: string;
  [k: string]: unknown;
}

export interface MpApiClient {
  readonly appId: string;
  getAccessToken(): Promise<string>;
  /**
   * POSTs JSON with the cached token. A rejected token (40001/40014/42001) is dropped, refreshed
   * and the call retried once. Other non-zero errcodes are returned for the caller to interpret
   * (45015, 43101 … are outcomes, not failures); transport failures throw retryable AppErrors.
   */
  post(api: string, body: unknown): Promise<MpApiReply>;
}

export type MpApiServices = Pick<Services, 'redis' | 'logger' | 'key'> & {
  config: Pick<Config, 'MP_API_BASE' | 'MP_APP_ID' | 'MP_APP_SECRET'>;
};

export interface MpApiClientOptions {
  timeoutMs?: number;
  tokenMarginS?: number;
}

export function createMpApiClient(services: MpApiServices, opts: MpApiClientOptions = {}): MpApiClient {
  const { config, redis, logger, key } = services;
  const { MP_APP_ID: appId, MP_APP_SECRET: secret } = config;
  if (!appId || !secret) throw new AppError('channel_not_configured', 'MP_APP_ID and MP_APP_SECRET are required to send mini-program messages', { status: 500 });
  const base = config.MP_API_BASE.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;

  async function call(api: string, query: Record<string, string>, body?: unknown): Promise<MpApiReply> {
    const reply = await callTencentApi<Record<string, unknown>>(base, api, query, body, timeoutMs, { transport: mpTransportError, httpErrorCode: 'mp_http_error' });
    const errcode = Number(reply.errcode ?? 0);
    if (IP_NOT_WHITELISTED.has(errcode)) {
      logger.error({ api, errcode, appId }, "WeChat refused the call: this server's egress IP is not in the mini-program's IP whitelist (开发管理 → 开发设置 → IP白名单)");
    }
    return { ...reply, errcode, errmsg: String(reply.errmsg ?? '') };
  }

  // /cgi-bin/token: every call issues a new token and retires the old one after a short grace
  // period, so refreshes must be rare and single — exactly what the shared cache guarantees.
  const tokens = createTokenCache({
    redis,
    logger,
    label: 'mp',
    cacheKey: key('mp', 'token', appId),
    marginS: opts.tokenMarginS,
    async fetchToken() {
      const r = await call('token', { grant_type: 'client_credential', appid: appId, secret });
      if (r.errcode !== 0) {
        const err = mpApiError('token', r.errcode, r.errmsg);
        // On the token call itself a bad credential is the config's fault: retrying cannot help.
        throw MP_TOKEN_ERRCODES.has(r.errcode) ? new AppError('mp_api_error', `token: invalid appid/secret (${r.errcode})`, { details: err.details }) : err;
      }
      if (typeof r.access_token !== 'string' || !r.access_token) throw mpTransportError('token', 'reply has no access_token');
      return { token: r.access_token, expiresIn: Number(r.expires_in ?? 7200) };
    },
  });

  return {
    appId,
    getAccessToken: () => tokens.get(),
    async post(api, body) {
      for (let attempt = 1; ; attempt++) {
        const token = await tokens.get();
        const reply = await call(api, { access_token: token }, body);
        if (!MP_TOKEN_ERRCODES.has(reply.errcode)) return reply;
        if (attempt > 1) throw mpApiError(api, reply.errcode, reply.errmsg);
        logger.info({ api, errcode: reply.errcode }, 'mp access token rejected; refreshing and retrying once');
        await tokens.invalidate(token);
      }
    },
  };
}
