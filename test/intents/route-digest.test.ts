import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTE_DIGEST_PATH, routeDigest } from '../../src/intents/eval/route-digest.ts';

/**
 * Routing's answers over every tuning single, to the last bit of each confidence, are the ones
 * the stored digest was taken from: a change meant only to make the router cheaper must leave
 * them all as they were. A change meant to alter routing rewrites the digest on purpose
 * (`npm run bench:router -- --write-digest`) in the same commit.
 */
describe('route digest', () => {
  it('routes every tuning single exactly as when the digest was stored', async () => {
    const { lines, sha256 } = await routeDigest();
    expect(lines.length).toBeGreaterThan(3000);
    expect(sha256).toBe(readFileSync(ROUTE_DIGEST_PATH, 'utf8').trim());
  }, 120_000);
});
