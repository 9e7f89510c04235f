import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { areaOf, CONTEXTS, importsOf, modelTables, ROOT, sourceFiles, tablesWritten, type SourceFile } from './scan.ts';

/** The rule names, as keys of the allow-list. */
export type Rule = 'edgeImports' | 'bypasses' | 'cycles' | 'foreignWrites';

const EDGE = ['bot', 'channels', 'integrations', 'http', 'jobs', 'intents', 'api', 'llm', 'i18n', 'metrics', 'cli', 'demo', 'runtime', 'main'];
/** Tables owned outside the domain. */
const EDGE_OWNERS: Record<string, string[]> = {
  api: ['api_tokens'],
  // The durable inbox (src/bot/inbox/) is edge infrastructure: the bot records every inbound message before the ack.
  bot: ['inbound_messages'],
  channels: ['mp_subscriptions', 'aibot_feedback', 'kf_cursors'],
  demo: ['demo_member_truth', 'demo_seed_deferred_indexes'],
};
/** The demo loader and the benchmarks bulk-load every table by design (docs/demo-data.md). */
const BULK_LOADERS = ['demo', 'bench'];

const found = () => new Set<string>();

export function owners(): Map<string, string> {
  const owner = new Map<string, string>();
  for (const ctx of CONTEXTS) {
    const index = readFileSync(join(ROOT, 'src/crm', ctx, 'index.ts'), 'utf8');
    const owns = /Owns:([^.]*)\./.exec(index.replace(/\n \* ?/g, ' '))?.[1] ?? '';
    for (const t of owns.split(',').map((s) => s.trim()).filter(Boolean)) owner.set(t, `crm/${ctx}`);
  }
  for (const [area, tables] of Object.entries(EDGE_OWNERS)) for (const t of tables) owner.set(t, area);
  return owner;
}

export function violations(files: SourceFile[] = sourceFiles()): Record<Rule, string[]> {
  const code = files.filter((f) => !f.isTest);
  const out = { edgeImports: found(), bypasses: found(), cycles: found(), foreignWrites: found() };
  const graph = new Map<string, Set<string>>();
  for (const f of code) {
    const from = areaOf(f.path);
    for (const target of importsOf(f)) {
      const to = areaOf(target);
      if (from.startsWith('crm/') && EDGE.includes(to)) out.edgeImports.add(`${f.path} → ${target}`);
      if (to.startsWith('crm/') && to !== from && !target.endsWith(`src/${to}/index.ts`)) out.bypasses.add(`${f.path} → ${target}`);
      if (from.startsWith('crm/') && to.startsWith('crm/') && from !== to) {
        if (!graph.has(from)) graph.set(from, new Set());
        graph.get(from)!.add(to);
      }
    }
  }
  for (const scc of stronglyConnected(graph)) if (scc.length > 1) out.cycles.add(scc.sort().join(' ↔ '));
  const owner = owners();
  const tables = modelTables();
  for (const f of code) {
    const area = areaOf(f.path);
    if (BULK_LOADERS.includes(area)) continue;
    for (const t of tablesWritten(f, tables)) if (owner.get(t) !== area) out.foreignWrites.add(`${f.path} writes ${t} (owner ${owner.get(t) ?? 'none'})`);
  }
  return { edgeImports: [...out.edgeImports].sort(), bypasses: [...out.bypasses].sort(), cycles: [...out.cycles].sort(), foreignWrites: [...out.foreignWrites].sort() };
}

/** Tarjan's strongly connected components of the context graph. */
function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>(), out: string[][] = [];
  let i = 0;
  const visit = (v: string) => {
    index.set(v, i); low.set(v, i++); stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      out.push(scc);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

