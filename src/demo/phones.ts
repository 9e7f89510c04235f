import { mix32 } from './random.ts';

/**
 * Unique mainland mobile numbers (1[3-9]\d{9}) without remembering the ones already used —
 * a set of a million strings would defeat the flat-memory design. The 8-digit subscriber part
 * is a bijection of the member index (affine maps mod 10^8 with multipliers coprime to 10,
 * around a swap of the two 4-digit halves), so no two indices share it whatever prefix each
 * gets. Prefix 138 with a subscriber part below 100 is reserved for the fixed demo members.
 */

export const PHONE_RE = /^1[3-9]\d{9}$/;

const MOD = 100_000_000;
// Common carrier prefixes (China Mobile, Unicom, Telecom, virtual operators).
const PREFIXES = [
  '134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '178', '182', '183', '184', '187', '188', '198',
  '130', '131', '132', '155', '156', '166', '175', '176', '185', '186',
  '133', '149', '153', '173', '177', '180', '181', '189', '191', '199',
];
// Both odd and not ending in 5, hence coprime to 10^8; products stay below 2^53.
const A1 = 61_728_391;
const A2 = 39_916_801;

function affine(x: number, a: number, c: number): number {
  return (a * x + c) % MOD;
}

function swapHalves(x: number): number {
  return (x % 10_000) * 10_000 + Math.floor(x / 10_000);
}

/** The phone of generated member `index` (0-based) under `seed`; unique for index < 10^8. */
export function phoneFor(seed: number, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MOD) throw new RangeError(`member index out of range: ${index}`);
  const c1 = mix32(seed ^ 0x1b873593) % MOD;
  const c2 = mix32(seed ^ 0x5bd1e995) % MOD;
  const subscriber = affine(swapHalves(affine(index, A1, c1)), A2, c2);
  let prefix = PREFIXES[mix32((seed + Math.imul(index, 0x9e3779b1)) >>> 0) % PREFIXES.length]!;
  if (prefix === '138' && subscriber < 100) prefix = '139';
  return prefix + String(subscriber).padStart(8, '0');
}
