/** Prints today's violations in allowed.ts's shape (npx tsx test/architecture/print-allowed.ts). */
import { violations } from './rules.ts';

const v = violations();
console.log(`/**
 * Known exceptions to the house rules (architecture.test.ts), each with its reason in
 * docs/architecture.md ("What is still allowed"). This list may only shrink.
 */
export const ALLOWED: Record<'edgeImports' | 'bypasses' | 'cycles' | 'foreignWrites', string[]> = {
${Object.entries(v).map(([k, list]) => `  ${k}: [\n${list.map((x) => `    ${JSON.stringify(x)},\n`).join('')}  ],`).join('\n')}
};`);
