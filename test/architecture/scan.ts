import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A static reading of the source tree for the architecture test: every file's relative imports,
 * which area (context or edge folder) it belongs to, and which tables it writes.
 */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface SourceFile {
  /** Repo-relative path, forward slashes. */
  path: string;
  text: string;
  isTest: boolean;
}

export function sourceFiles(dirs = ['src', 'bench', 'scripts']): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const rel = `${dir}/${name}`;
      if (rel === 'src/generated') continue;
      if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
      else if (/\.(ts|mts)$/.test(name)) out.push({ path: rel, text: readFileSync(join(ROOT, rel), 'utf8'), isTest: /\.test\.ts$/.test(name) });
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** Static and dynamic relative imports and re-exports of a file, resolved to repo paths. */
export function importsOf(file: SourceFile): string[] {
  const specs = [
    ...file.text.matchAll(/(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*\s{},$]*?\s+from\s+)?['"](\.[^'"]+)['"]/g),
    ...file.text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return [...new Set(specs.map((s) => relative(ROOT, resolve(ROOT, dirname(file.path), s)).split('\\').join('/')))];
}

/** The bounded contexts of the domain: each folder of src/crm. */
export const CONTEXTS = readdirSync(join(ROOT, 'src/crm')).filter((d) => statSync(join(ROOT, 'src/crm', d)).isDirectory());

/** `crm/<context>` for domain files, else the top folder under src (`bot`, `api`, …) or the file's own name. */
export function areaOf(path: string): string {
  const p = path.split('/');
  if (p[0] !== 'src') return p[0]!;
  if (p[1] === 'crm') return `crm/${p[2]}`;
  return p.length > 2 ? p[1]! : p[1]!.replace(/\.ts$/, '');
}

/** Prisma model name → table name, from prisma/schema.prisma's @@map lines. */
export function modelTables(): Map<string, string> {
  const schema = readFileSync(join(ROOT, 'prisma/schema.prisma'), 'utf8');
  const map = new Map<string, string>();
  for (const m of schema.matchAll(/^model (\w+) \{[\s\S]*?@@map\("(\w+)"\)[\s\S]*?^\}/gm)) map.set(m[1]!.charAt(0).toLowerCase() + m[1]!.slice(1), m[2]!);
  return map;
}

const PRISMA_WRITE = /\.(\w+)\.(create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)\(/g;
/** `ON DUPLICATE KEY UPDATE col = …` names a column of the INSERT's own table, not a table: not a write of its own. */
const SQL_WRITE = /\b(?:INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|(?<!\bKEY\s+)UPDATE|DELETE\s+(?:\w+\s+)?FROM|TRUNCATE\s+(?:TABLE\s+)?|INTO\s+TABLE)\s+`?(\w+)`?/g;

/** Tables a file writes, through Prisma delegates or SQL text (INSERT/REPLACE/UPDATE/DELETE/TRUNCATE/LOAD DATA). */
export function tablesWritten(file: SourceFile, tables: Map<string, string>): string[] {
  const known = new Set(tables.values());
  const out = new Set<string>();
  for (const m of file.text.matchAll(PRISMA_WRITE)) {
    const t = tables.get(m[1]!);
    if (t) out.add(t);
  }
  for (const m of file.text.matchAll(SQL_WRITE)) if (known.has(m[1]!)) out.add(m[1]!);
  return [...out].sort();
}
