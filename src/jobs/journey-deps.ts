/**
 * Composition of the journey engine's deps: the domain's engine (src/crm/automation) over the
 * outbound channel adapters (src/channels/outbound), built once per services object. The
 * workers, the chat intents, the API and the tests all take their deps from here.
 */
import { createOutboundSenders } from '../channels/outbound/index.ts';
import { createJourneyDeps, type JourneyDeps } from '../crm/automation/index.ts';
import type { Services } from '../services.ts';

const cache = new WeakMap<Services, JourneyDeps>();

export function journeyDeps(services: Services, overrides: Partial<Omit<JourneyDeps, 'services'>> = {}): JourneyDeps {
  const hit = cache.get(services);
  if (hit && Object.keys(overrides).length === 0) return hit;
  const { senders, ...rest } = overrides;
  const deps = createJourneyDeps(services, senders ?? hit?.senders ?? createOutboundSenders(services), rest);
  cache.set(services, deps);
  return deps;
}
