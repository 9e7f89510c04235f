/**
 * What the engine needs from the outside world, built once per services object: the providers
 * (swappable: tests point them at local fakes through config, never mock our own modules), the
 * Redis rate limiter and the retry policy.
 */
import { createMiniProgramMessenger, type MpMessenger } from '../../../channels/miniprogram/index.ts';
import type { Services } from '../../../services.ts';
import { createHttpProvider, createLogProvider, createWeComExternalSender, type TextProvider, type WeComExternalSender } from './providers.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';

export interface JourneyDeps {
  services: Services;
  sms: TextProvider;
  email: TextProvider;
  wecom?: WeComExternalSender;
  mp?: MpMessenger;
  limiter: RateLimiter;
  /** Provider errors are retried with exponential backoff this many times in all, then recorded failed. */
  attempts: number;
  backoffMs: number;
}

const cache = new WeakMap<Services, JourneyDeps>();

export function journeyDeps(services: Services, overrides: Partial<Omit<JourneyDeps, 'services'>> = {}): JourneyDeps {
  const hit = cache.get(services);
  if (hit && Object.keys(overrides).length === 0) return hit;
  const { config, logger } = services;
  const deps: JourneyDeps = {
    services,
    sms: config.SMS_PROVIDER_URL ? createHttpProvider('sms', config.SMS_PROVIDER_URL) : createLogProvider('sms', logger),
    email: config.EMAIL_PROVIDER_URL ? createHttpProvider('email', config.EMAIL_PROVIDER_URL) : createLogProvider('email', logger),
    wecom: createWeComExternalSender(services),
    mp: createMiniProgramMessenger(services),
    limiter: createRateLimiter(services.redis, services.key, services.now),
    attempts: 5,
    backoffMs: 2000,
    ...overrides,
  };
  cache.set(services, deps);
  return deps;
}
