import type { Channel, MemberActor } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';

/**
 * A member acting on their own record. There is deliberately no member reference anywhere in
 * this module's inputs: every query is keyed by `actor.memberId`, so no wording of a message
 * (and no LLM tool argument) can make a member read or change someone else.
 */
export interface SelfAccess {
  services: Services;
  actor: MemberActor;
  channel: Channel;
  requestId: string;
}
