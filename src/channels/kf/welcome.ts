/**
 * The welcome of a customer entering a kf session: an enter_session event carries a welcome_code,
 * which kf/send_msg_on_event spends on one message ("发送欢迎语等事件响应消息": the code can be
 * used once, and only for 20 seconds after the event). Once per code: a re-read batch or an
 * overlapping sync never greets twice; a code read after it expired is skipped (and logged).
 */
import { t } from '../../i18n/index.ts';
import type { Services } from '../../services.ts';
import { isAppError } from '../../crm/kernel/index.ts';
import { errcodeOf, type KfApi, type KfItem } from './api.ts';

/** Tencent: welcome_code 20秒内有效. */
export const WELCOME_CODE_TTL_MS = 20_000;

export type WelcomeOutcome = 'sent' | 'already' | 'expired' | 'refused' | 'no_code';

export async function welcome(services: Pick<Services, 'redis' | 'key' | 'logger'>, api: KfApi, item: KfItem, now: Date): Promise<WelcomeOutcome> {
  const code = item.event?.welcome_code;
  if (!code) return 'no_code';
  const sentAt = (item.send_time ?? Math.floor(now.getTime() / 1000)) * 1000;
  if (now.getTime() - sentAt > WELCOME_CODE_TTL_MS) {
    services.logger.info({ msgid: item.msgid }, '微信客服: welcome_code expired before it was read; no welcome');
    return 'expired';
  }
  const mark = services.key('kf', 'welcome', code);
  if ((await services.redis.set(mark, '1', 'EX', 24 * 3600, 'NX')) !== 'OK') return 'already';
  try {
    await api.sendOnEvent(code, t('zh', 'kf.welcome'));
    return 'sent';
  } catch (e) {
    // WeCom refused the code (used, expired, invalid): spent either way. Anything else: the callback is retried.
    if (isAppError(e) && !e.retryable && errcodeOf(e) !== undefined) {
      services.logger.warn({ errcode: errcodeOf(e), msgid: item.msgid }, '微信客服: send_msg_on_event refused');
      return 'refused';
    }
    await services.redis.del(mark).catch(() => undefined);
    throw e;
  }
}
