/**
 * Outbound senders: the adapters behind the journey engine's one sender port (OutboundSender,
 * declared by the domain in src/crm/automation/journeys/deps.ts), one file per provider. The
 * WeCom ones use the WeCom channel's client, the mini-program one the mini-program channel's
 * messenger, so token handling exists once. Every sender passes the conformance suite
 * (test/channels/outbound-conformance.test.ts) against its fake.
 */
import type { OutboundSenders } from '../../crm/automation/index.ts';
import type { Services } from '../../services.ts';
import { createMiniProgramMessenger } from '../miniprogram/index.ts';
import { weComClientOf } from '../wecom/index.ts';
import { createHttpTextSender } from './text-http.ts';
import { createLogSender } from './log-only.ts';
import { createMiniProgramSubscribeSender } from './miniprogram-subscribe.ts';
import { createWeComExternalSender } from './wecom-external.ts';
import { createWeComRobotSender } from './wecom-robot.ts';

export { createHttpTextSender } from './text-http.ts';
export { createLogSender } from './log-only.ts';
export { createMiniProgramSubscribeSender } from './miniprogram-subscribe.ts';
export { createWeComExternalSender } from './wecom-external.ts';
export { createWeComRobotSender, type RobotSenderOptions } from './wecom-robot.ts';

type SenderServices = Pick<Services, 'config' | 'redis' | 'logger' | 'key' | 'sql' | 'now'>;

/**
 * The senders configured for a deployment: SMS and e-mail over their HTTP gateways (log-only
 * without a URL); WeCom external contacts with WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID;
 * the group robot with WECOM_ROBOT_KEY; mini-program subscribe messages with MP_APP_ID and
 * MP_APP_SECRET.
 */
export function createOutboundSenders(services: SenderServices): OutboundSenders {
  const { config, logger } = services;
  const messenger = createMiniProgramMessenger(services);
  return {
    sms: config.SMS_PROVIDER_URL ? createHttpTextSender('sms', config.SMS_PROVIDER_URL) : createLogSender('sms', logger),
    email: config.EMAIL_PROVIDER_URL ? createHttpTextSender('email', config.EMAIL_PROVIDER_URL) : createLogSender('email', logger),
    ...(config.WECOM_CORP_ID && config.WECOM_SECRET && config.WECOM_AGENT_ID ? { wecom: createWeComExternalSender(weComClientOf(services)) } : {}),
    ...(config.WECOM_ROBOT_KEY ? { robot: createWeComRobotSender({ base: config.WECOM_API_BASE, robotKey: config.WECOM_ROBOT_KEY }) } : {}),
    ...(messenger ? { miniprogram: createMiniProgramSubscribeSender(messenger) } : {}),
  };
}
