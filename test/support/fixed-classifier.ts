import { intents } from '../../src/intents/catalogue.ts';
import { NONE, type Classifier } from '../../src/intents/classifier/model.ts';

/** A classifier that reads every message the same way: the router's step, not the model, decides (router unit tests). */
export function fixedReading(p: Record<string, number>): Classifier {
  return {
    corpusHash: 'fixed',
    labels: (audience) => [...intents.filter((i) => i.audience === audience).map((i) => i.name), NONE],
    classify(_text, audience) {
      const labels = this.labels(audience);
      const rest = (1 - Object.values(p).reduce((a, b) => a + b, 0)) / labels.length;
      return labels.map((label) => ({ label, p: (p[label] ?? 0) + rest })).sort((a, b) => b.p - a.p);
    },
  };
}
