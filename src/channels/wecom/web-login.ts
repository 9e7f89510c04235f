/**
 * WeCom web login for staff (企业微信网页授权登录 / 企业微信扫码登录): where to send the browser for
 * a code, and the code → userid exchange. Both flows end at our redirect_uri with `?code=&state=`;
 * the code is single-use and valid 5 minutes (WeCom docs, 获取访问用户身份).
 */
import { AppError, isAppError, unauthorized } from '../../crm/kernel/index.ts';
import type { WeComApiClient } from './api-client.ts';

/** Who opens the page decides the flow: inside the WeCom client, silent OAuth; elsewhere, a QR code to scan. */
export const isWeComBrowser = (userAgent: string | undefined): boolean => /wxwork/i.test(userAgent ?? '');

/**
 * The URL that sends the browser to WeCom for a login code:
 * - in the WeCom client, 网页授权 `open.weixin.qq.com/connect/oauth2/authorize?appid=CORPID&redirect_uri=…
 *   &response_type=code&scope=snsapi_base&state=…&agentid=…#wechat_redirect` (snsapi_base: silent, userid only);
 * - in any other browser, the 扫码登录 page `login.work.weixin.qq.com/wwlogin/sso/login?login_type=CorpApp
 *   &appid=CORPID&agentid=…&redirect_uri=…&state=…`.
 * redirect_uri's domain must be the app's trusted domain (可信域名), else WeCom answers 50001.
 */
export function webLoginUrl(opts: { corpId: string; agentId: number | string; redirectUri: string; state: string; inWeCom: boolean }): string {
  if (opts.inWeCom) {
    const q = new URLSearchParams({ appid: opts.corpId, redirect_uri: opts.redirectUri, response_type: 'code', scope: 'snsapi_base', state: opts.state, agentid: String(opts.agentId) });
    return `https://open.weixin.qq.com/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
  }
  const q = new URLSearchParams({ login_type: 'CorpApp', appid: opts.corpId, agentid: String(opts.agentId), redirect_uri: opts.redirectUri, state: opts.state });
  return `https://login.work.weixin.qq.com/wwlogin/sso/login?${q.toString()}`;
}

/** errcodes of auth/getuserinfo that mean "this code is no good" (the person should sign in again), not "WeCom is down". */
const BAD_CODE = new Set([40029, 40163, 50001]); // invalid code, code already used, redirect_uri not trusted

/**
 * `GET /cgi-bin/auth/getuserinfo?access_token=&code=` → the member's `userid`. A visitor who is not
 * a member of the company gets `openid` (and maybe `external_userid`) instead: refused here, the
 * console is for staff. A bad or reused code is a 401 `login_failed`; WeCom being unreachable stays
 * the client's retryable error.
 */
export async function userIdByCode(client: Pick<WeComApiClient, 'get'>, code: string): Promise<string> {
  let reply: Record<string, unknown>;
  try {
    reply = await client.get('auth/getuserinfo', { code });
  } catch (e) {
    const errcode = isAppError(e) ? (e.details as { errcode?: number } | undefined)?.errcode : undefined;
    if (errcode !== undefined && BAD_CODE.has(errcode)) throw unauthorized('login_failed', `WeCom did not accept the login code (${errcode}): sign in again`);
    throw e;
  }
  if (typeof reply.userid === 'string' && reply.userid) return reply.userid;
  throw new AppError('login_not_staff', 'this WeCom account is not a member of the company: the console is for staff');
}
