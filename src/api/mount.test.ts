import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { staticFirst } from './mount.ts';
import { defineRoute, honoPath, type AnyRoute } from './route.ts';

const r = (method: 'get' | 'post', path: string): AnyRoute =>
  defineRoute({ method, path, operationId: path, summary: path, tag: 't', permission: 'member.read', response: z.object({}), handler: async () => ({}) });

describe('route mounting order', () => {
  it('puts a literal segment before a parameter at the same depth, whatever the declared order', () => {
    const routes = [r('get', '/crm/customers/{id}'), r('get', '/crm/customers/{id}/orders'), r('get', '/crm/tags'), r('get', '/crm/customers/duplicates'), r('post', '/crm/tags/apply'), r('post', '/crm/customers')];
    const order = staticFirst(routes).map((x) => x.path);
    expect(order.indexOf('/crm/customers/duplicates')).toBeLessThan(order.indexOf('/crm/customers/{id}'));
    expect(order.indexOf('/crm/customers/duplicates')).toBeLessThan(order.indexOf('/crm/customers/{id}/orders'));
    expect(order).toHaveLength(routes.length);
    // A total order: sorting again, or from a shuffled start, gives the same sequence.
    expect(staticFirst([...routes].reverse()).map((x) => x.path)).toEqual(order);
  });

  it('turns OpenAPI path templates into Hono paths', () => {
    expect(honoPath('/crm/tickets/{id}/assign')).toBe('/crm/tickets/:id/assign');
    expect(honoPath('/crm/membership/levels/{level}')).toBe('/crm/membership/levels/:level');
  });
});
