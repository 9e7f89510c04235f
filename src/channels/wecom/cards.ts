/** The self-built app's card messages: the card itself is the shared builder's (src/channels/shared/template-card.ts). */
import type { CardUpdate } from '../../bot/types.ts';

export { MAX_CARD_BUTTONS, TASK_ID_RE, templateCardOf } from '../shared/template-card.ts';

/**
 * The body of message/update_template_card that turns the card's buttons into one disabled
 * button showing the outcome (更新按钮为不可点击状态: `button.replace_name`) for its recipient.
 */
export function cardUpdateBody(touser: string, agentId: number, update: CardUpdate, responseCode: string): Record<string, unknown> {
  return { userids: [touser], agentid: agentId, response_code: responseCode, button: { replace_name: update.text } };
}
