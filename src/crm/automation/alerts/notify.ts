/**
 * Messages to staff (recall progress, summaries, alerts): through the outbound queue (WeCom app
 * message/send) or the group robot, each deduplicated by a caller-chosen key (the BullMQ job id,
 * plus a Redis mark for the robot) and rate-limited to WeCom's rules — 30/min and 1000/hour per
 * recipient (excess is silently dropped by WeCom, so we delay instead), the app's daily cap
 * (beyond it the message is dropped and logged), the robot's 20/min.
 */
import type { Services } from '../../../services.ts';
import type { JourneyDeps } from '../journeys/deps.ts';
import { createRateLimiter, ROBOT_PER_MINUTE, WECOM_PER_RECIPIENT } from '../journeys/rate-limit.ts';
import { formatDate } from '../../kernel/index.ts';

export type NotifyResult = 'queued' | 'delayed' | 'duplicate' | 'over_daily_cap' | 'not_configured' | 'sent' | 'failed';

/** message/send needs the corp id, the app's secret and its AgentId (gettoken + agentid). */
export function canPushWeCom(config: Services['config']): boolean {
  return Boolean(config.WECOM_CORP_ID && config.WECOM_SECRET && config.WECOM_AGENT_ID);
}

let warnedUnconfigured = false;

/** A WeCom app message to one staff member, deduplicated by `dedupeKey`. */
export async function notifyStaff(services: Services, userId: string, text: string, dedupeKey: string): Promise<NotifyResult> {
  // Without a WeCom app nothing can reach staff: don't queue jobs that can only fail (the demo
  // data's overdue tickets would otherwise fill the log with failed alerts on every sweep).
  if (!canPushWeCom(services.config)) {
    if (!warnedUnconfigured) services.logger.info('WeCom app not configured (WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID): staff notifications are not sent');
    warnedUnconfigured = true;
    return 'not_configured';
  }
  const jobId = `staff-${dedupeKey}`.replace(/:/g, '_');
  if (await services.queues.outbound.getJob(jobId)) return 'duplicate';
  const mark = services.key('notify', 'seen', jobId);
  if ((await services.redis.set(mark, '1', 'EX', 30 * 24 * 3600, 'NX')) !== 'OK') return 'duplicate';
  const limiter = createRateLimiter(services.redis, services.key, services.now);
  const day = formatDate(services.now());
  const capKey = services.key('notify', 'appcap', day);
  const count = await services.redis.incr(capKey);
  if (count === 1) await services.redis.expire(capKey, 2 * 86400);
  if (count > services.config.WECOM_APP_DAILY_CAP) {
    services.logger.warn({ userId, dedupeKey }, 'WeCom app daily message cap reached: staff notification dropped');
    return 'over_daily_cap';
  }
  const wait = await limiter.windows(`staff:${userId}`, WECOM_PER_RECIPIENT);
  await services.queues.outbound.add('staff-notify', { channel: 'wecom', to: userId, text }, { jobId, ...(wait > 0 ? { delay: wait } : {}) });
  return wait > 0 ? 'delayed' : 'queued';
}

/** A group robot message (WECOM_ROBOT_KEY, sent by the robot sender of `deps`), deduplicated and held to 20/min. */
export async function notifyRobot(deps: Pick<JourneyDeps, 'services' | 'senders'>, text: string, dedupeKey: string): Promise<NotifyResult> {
  const { services } = deps;
  const robotKey = services.config.WECOM_ROBOT_KEY;
  const robot = deps.senders.robot;
  if (!robotKey || !robot) return 'failed';
  const mark = services.key('notify', 'robot', dedupeKey);
  if ((await services.redis.set(mark, '1', 'EX', 30 * 24 * 3600, 'NX')) !== 'OK') return 'duplicate';
  const limiter = createRateLimiter(services.redis, services.key, services.now);
  const wait = await limiter.windows(`robot:${robotKey.slice(0, 8)}`, [{ limit: ROBOT_PER_MINUTE, ms: 60_000 }]);
  if (wait > 0) {
    await services.redis.del(mark); // not sent: the next sweep may try again
    return 'delayed';
  }
  const r = await robot.send({ key: dedupeKey, to: '', text });
  if (r.status !== 'sent') {
    await services.redis.del(mark);
    services.logger.warn({ dedupeKey, r }, 'group robot alert not sent');
    return 'failed';
  }
  return 'sent';
}
