/**
 * 微信客服 for members (docs/wecom.md, "微信客服 (members)"), wired from config: the kf adapter,
 * its sync on kf_msg_or_event, replies inside the window, the welcome, and the hand-off port of the
 * `handoff` intent. Needs the WeCom app's callback (WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID) and
 * its API access (WECOM_SECRET, WECOM_AGENT_ID): the kf APIs take that app's token.
 */
import { setChannelHandoff } from '../../bot/handoff-port.ts';
import type { Services } from '../../services.ts';
import { createReplyWindow, type ReplyWindow } from '../shared/reply-window.ts';
import type { ChannelAdapter } from '../types.ts';
import { weComClientOf } from '../wecom/index.ts';
import { createKfAdapter, type KfAdapter } from './adapter.ts';
import { createKfApi, type KfApi } from './api.ts';
import { createKfHandoff } from './handoff.ts';
import { createKfSender, type KfSender } from './sender.ts';
import { createKfSessions, type KfSessions } from './session.ts';
import { syncKfAccount } from './sync.ts';

export { createKfAdapter, kfSignalOf, withKfEvents, type KfAdapter, type KfSignal } from './adapter.ts';
export { createKfApi, KF_COUNT_LIMIT, KF_SESSION_STATE, KF_TIME_LIMIT, SERVICE_STATE, type KfApi, type KfItem } from './api.ts';
export { WELCOME_CODE_TTL_MS } from './welcome.ts';
export type { KfRefusalRecord, KfSender } from './sender.ts';

export interface KfChannel {
  adapter: KfAdapter;
  api: KfApi;
  sender: KfSender;
  sessions: KfSessions;
  window: ReplyWindow;
}

/** The kf reply window of each customer (external_userid): the mini-program's window, its own keys. */
export const kfWindowOf = (services: Pick<Services, 'redis' | 'key'>): ReplyWindow => createReplyWindow(services.redis, (u) => services.key('kf', 'window', u));

/**
 * The kf channel over the app's callback adapter, or undefined when KF=off or the app cannot call
 * the API (then kf_msg_or_event is acknowledged and nothing more).
 */
export function createKfChannel(services: Services, callback: ChannelAdapter): KfChannel | undefined {
  const { config } = services;
  if (config.KF === 'off' || !config.WECOM_CORP_ID || !config.WECOM_SECRET || !config.WECOM_AGENT_ID) return undefined;
  const api = createKfApi(weComClientOf(services));
  const sessions = createKfSessions(services.redis, services.key);
  const window = kfWindowOf(services);
  const handoff = createKfHandoff(services, api, sessions);
  const sender = createKfSender({ api, window, sessions, redis: services.redis, logger: services.logger, key: services.key, now: services.now, afterReply: handoff.afterReply });
  setChannelHandoff(services, 'wecom_kf', handoff);
  const adapter = createKfAdapter({
    callback,
    sender,
    sync: async (signal, now) => {
      const r = await syncKfAccount({ services, api, sessions, window, handoff }, signal.openKfId, signal.token, now);
      services.logger.info({ openKfId: signal.openKfId, ...r }, '微信客服: sync_msg read');
    },
  });
  return { adapter, api, sender, sessions, window };
}
