/**
 * Outbound senders: the adapters behind the journey engine's one sender port (OutboundSender,
 * declared by the domain in src/crm/automation/journeys/deps.ts), one file per provider. The
 * WeCom ones use the WeCom channel's client, the mini-program one the mini-program channel's
 * messenger, so token handling exists once. Every sender passes the conformance suite
 * (test/channels/outbound-conformance.test.ts) against its fake.
 */
import type { OutboundSender, OutboundSenders } from '../../crm/automation/index.ts';
import { outboundSends } from '../../metrics/index.ts';
import { SpanKind, withSpan } from '../../telemetry/index.ts';
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
    sms: counted(config.SMS_PROVIDER_URL ? createHttpTextSender('sms', config.SMS_PROVIDER_URL) : createLogSender('sms', logger)),
    email: counted(config.EMAIL_PROVIDER_URL ? createHttpTextSender('email', config.EMAIL_PROVIDER_URL) : createLogSender('email', logger)),
    ...(config.WECOM_CORP_ID && config.WECOM_SECRET && config.WECOM_AGENT_ID ? { wecom: counted(createWeComExternalSender(weComClientOf(services))) } : {}),
    ...(config.WECOM_ROBOT_KEY ? { robot: counted(createWeComRobotSender({ base: config.WECOM_API_BASE, robotKey: config.WECOM_ROBOT_KEY })) } : {}),
    ...(messenger ? { miniprogram: counted(createMiniProgramSubscribeSender(messenger)) } : {}),
  };
}

/** A sender whose every result is counted in crm_outbound_sends_total (an exception counts as `error`). */
function counted(sender: OutboundSender): OutboundSender {
  // The senders are plain objects (one factory each), so a spread keeps every field of the port.
  return {
    ...sender,
    send(message) {
      // Traced with its channel and result only (never the recipient or the text).
      return withSpan(`send ${sender.name}`, { 'crm.channel': sender.name }, async (span) => {
        try {
          const result = await sender.send(message);
          outboundSends.inc({ channel: sender.name, result: result.status });
          span?.setAttribute('crm.send.result', result.status);
          return result;
        } catch (e) {
          outboundSends.inc({ channel: sender.name, result: 'error' });
          throw e;
        }
      }, { kind: SpanKind.CLIENT });
    },
  };
}
