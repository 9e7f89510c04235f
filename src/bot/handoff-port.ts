/**
 * What a channel adds to a member's hand-off to a person (the `handoff` intent): the conversation
 * so far on that channel, carried into the ticket, and moving the platform's own conversation to
 * a person (微信客服: kf/service_state/trans). Channels register theirs per services object when
 * they are wired (src/runtime.ts), the way the WeCom client is kept per services object; a channel
 * without one hands off with the ticket and the store alert alone.
 */
import type { Services } from '../services.ts';
import type { Channel, MemberActor } from './types.ts';

export interface ChannelHandoff {
  /** The last messages of the member's conversation on this channel, oldest first, one line each. */
  transcript(actor: MemberActor): Promise<string[]>;
  /** Hands the platform's conversation to a person, once the ticket is open (idempotent). */
  transfer(actor: MemberActor, ticketNo: string): Promise<void>;
}

const ports = new WeakMap<Pick<Services, 'config'>, Partial<Record<Channel, ChannelHandoff>>>();

export function setChannelHandoff(services: Pick<Services, 'config'>, channel: Channel, port: ChannelHandoff): void {
  ports.set(services, { ...ports.get(services), [channel]: port });
}

export function channelHandoffOf(services: Pick<Services, 'config'>, channel: Channel): ChannelHandoff | undefined {
  return ports.get(services)?.[channel];
}
