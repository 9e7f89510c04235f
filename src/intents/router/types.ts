import type { Actor, RouteResult } from '../../bot/types.ts';
import type { Services } from '../../services.ts';

export interface RouteContext {
  audience: 'staff' | 'member';
  actor: Actor;
  services: Services;
  /** For log lines of routers that call out (the LLM router). */
  requestId?: string;
  /**
   * The turn's own: aborted when the turn is given up (its inbox claim handed over at a stop,
   * src/bot/inbox/claim.ts). A router that calls out stops waiting then and throws its reason —
   * never falls back to another reading of a turn nobody will receive.
   */
  signal?: AbortSignal;
}

/** Text → intent, slots and a confidence in 0..1. Implemented by the rule router (and later the LLM router). */
export interface Router {
  route(text: string, ctx: RouteContext): Promise<RouteResult>;
}

/**
 * Not an intent of the catalogue: the router's answer when two intents matched equally well
 * (slots.options names them); the pipeline asks a short clarifying question.
 */
export const CLARIFY_INTENT = 'clarify';
/** 取消: what withdraws a held action (its card's cancel button, a refusal of the bot's question, a negated request of what is held). */
export const CANCEL_INTENT = 'action.cancel';
/** 确认: what runs a held action. */
export const CONFIRM_INTENT = 'action.confirm';

/** Below this the pipeline should treat the answer as a guess (ask to clarify rather than guess). */
export const LOW_CONFIDENCE = 0.5;

/** Slots that name something of the CRM — a member, a tag, a store, a level, a metric, a ticket, a recall — unlike a period or a count, which small talk and follow-ups have too ("今天辛苦了", "前5"). */
export const ENTITY_SLOTS = ['phone', 'memberNo', 'name', 'tag', 'store', 'level', 'metric', 'ticketNo', 'recallId'] as const;

/** Whether a reading's slots name something of the CRM (ENTITY_SLOTS). */
export const namesEntity = (slots: Record<string, unknown>): boolean => ENTITY_SLOTS.some((k) => slots[k] !== undefined);
