import { createHash } from 'node:crypto';
import { intents } from '../catalogue.ts';
import { loadClassifier } from '../classifier/model.ts';
import { offlineContext, tuningDir } from '../classifier/tuning.ts';
import { createCombinedRouter } from '../router/combined.ts';
import { EVAL_DICTIONARIES, loadEvalSet } from './evaluate.ts';

/**
 * Every tuning single's full RouteResult (combined router, offline dictionaries) and the
 * classifier's probabilities for its text, one JSON line each, and their sha256. JSON numbers
 * print the shortest text that reads back as the same double, so an equal digest means equal
 * results to the last bit: a change meant to make routing cheaper proves it changed no answer
 * (test/intents/route-digest.test.ts against test/intents/route-digest.sha256, which only
 * `npm run bench:router -- --write-digest` writes).
 */
export async function routeDigest(): Promise<{ lines: string[]; sha256: string }> {
  const router = createCombinedRouter(intents, EVAL_DICTIONARIES);
  const classifier = loadClassifier();
  const lines: string[] = [];
  for (const c of await loadEvalSet(tuningDir())) {
    const result = await router.route(c.text, offlineContext(c.audience));
    lines.push(JSON.stringify({ at: `${c.file}:${c.line}`, result, classified: classifier.classify(c.text, c.audience) }));
  }
  return { lines, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

export const ROUTE_DIGEST_PATH = new URL('../../../test/intents/route-digest.sha256', import.meta.url);
