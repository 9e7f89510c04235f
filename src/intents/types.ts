import type { z } from 'zod';
import type { Actor, Channel, IntentResult, MemberActor, StaffActor } from '../bot/types.ts';
import type { Permission } from '../crm/auth/permissions.ts';
import type { Services } from '../services.ts';

/** What an intent's run() gets besides its slots. */
export interface IntentContext<A extends Actor = Actor> {
  services: Services;
  actor: A;
  channel: Channel;
  requestId: string;
}

/** One example utterance; the rule router's tests and the help text are derived from these. */
export interface IntentExample<S> {
  text: string;
  slots?: Partial<S>;
}

/**
 * An intent is data (DESIGN.md habit 6): the rule router, the LLM tool list and the help
 * text are all derived from this one declaration. Adding an intent is adding one file.
 */
export interface IntentDef<S extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>> {
  name: string;
  audience: 'staff' | 'member';
  /** English, one sentence: the LLM tool description. */
  description: string;
  /** Chinese one-liner shown in the help text. */
  title: string;
  /** Required permission (staff intents); null = anyone of the audience. */
  permission: Permission | null;
  slots: S;
  examples: IntentExample<z.infer<S>>[];
  /** Rule-router hints: trigger words/patterns; the router's extractors fill the slots. */
  rule: {
    keywords: (string | RegExp)[];
    /** Slot names the router should try to extract from the text. */
    extract?: (keyof z.infer<S> & string)[];
    /** Tie-break weight when several intents match (higher wins). */
    priority?: number;
  };
  run(ctx: IntentContext<StaffActor | MemberActor>, slots: z.infer<S>): Promise<IntentResult>;
}
