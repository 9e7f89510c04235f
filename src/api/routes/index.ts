import type { AnyRoute } from '../route.ts';
import { customerRoutes } from './customers.ts';
import { tagRoutes } from './tags.ts';

/** Every operation of the admin API, in reference order: mounted and documented from this list. */
export function apiRouteList(): AnyRoute[] {
  return [...customerRoutes, ...tagRoutes];
}
