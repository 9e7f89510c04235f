/** Writes the message to the log only: the SMS / e-mail sender when no provider URL is configured. */
import type { OutboundSender } from '../../crm/automation/index.ts';
import type { Logger } from '../../logger.ts';

export function createLogSender(name: string, logger: Logger): OutboundSender {
  return {
    name,
    idempotent: true,
    async send(msg) {
      logger.info({ provider: name, to: msg.to.replace(/.(?=.{4})/g, '*'), key: msg.key, chars: msg.text.length }, 'log-only provider: message not sent anywhere');
      return { status: 'sent', providerId: 'log' };
    },
  };
}
