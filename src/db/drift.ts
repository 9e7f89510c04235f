import { createRequire } from 'node:module';
import type { RowDataPacket } from 'mysql2/promise';
import type { SqlPool } from './sql.ts';

// prisma-schema-wasm is the same schema parser `prisma generate` uses; it needs no native engine.
const require = createRequire(import.meta.url);

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isRequired: boolean;
  isList: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  hasDefaultValue: boolean;
  default?: { name?: string } | unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string; dbName?: string | null }[] }[]; indexes: DmmfIndex[] };
}

export function loadDmmf(schema: string): Dmmf {
  const wasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] }))) as Dmmf;
}

/** The column type MySQL/MariaDB reports (information_schema DATA_TYPE + size) for a Prisma field. */
function expectedType(f: DmmfField, enums: Map<string, string[]>): string {
  if (f.kind === 'enum') return `enum(${enums.get(f.type)!.map((v) => `'${v}'`).join(',')})`;
  const [native, args = []] = f.nativeType ?? [undefined, []];
  switch (f.type) {
    case 'String':
      if (native === 'Text') return 'text';
      if (native === 'MediumText') return 'mediumtext';
      return `varchar(${args[0] ?? 191})`;
    case 'Int':
      return native === 'TinyInt' ? 'tinyint' : native === 'SmallInt' ? 'smallint' : 'int';
    case 'BigInt':
      return 'bigint';
    case 'Boolean':
      return 'tinyint(1)';
    case 'Float':
      return 'double';
    case 'Decimal':
      return `decimal(${args[0] ?? 65},${args[1] ?? 30})`;
    case 'DateTime':
      return native === 'Date' ? 'date' : `datetime(${args[0] ?? 3})`;
    case 'Json':
      return 'json';
    default:
      return `unknown:${f.type}`;
  }
}

function actualType(c: RowDataPacket): string {
  const t = String(c.DATA_TYPE).toLowerCase();
  const full = String(c.COLUMN_TYPE).toLowerCase();
  if (t === 'enum') return full.replace(/\s/g, '');
  if (t === 'varchar') return `varchar(${c.CHARACTER_MAXIMUM_LENGTH})`;
  if (t === 'decimal') return `decimal(${c.NUMERIC_PRECISION},${c.NUMERIC_SCALE})`;
  if (t === 'datetime') return `datetime(${c.DATETIME_PRECISION})`;
  if (t === 'tinyint' && /^tinyint\(1\)/.test(full)) return 'tinyint(1)';
  // MariaDB stores JSON as LONGTEXT with a json_valid CHECK constraint.
  if (t === 'longtext' && c.IS_JSON) return 'json';
  return t;
}

/**
 * Compares schema.prisma with a migrated database: tables, columns (type, nullability,
 * auto-increment, presence of a default), primary keys, unique and plain indexes, foreign keys.
 * Returns one line per difference; [] means no drift. Catches a migration that forgot a change
 * to schema.prisma and vice versa, without Prisma's native schema engine.
 */
export async function findSchemaDrift(schema: string, sql: SqlPool, database: string): Promise<string[]> {
  const { datamodel } = loadDmmf(schema);
  const enums = new Map(datamodel.enums.map((e) => [e.name, e.values.map((v) => v.dbName ?? v.name)]));
  const drift: string[] = [];
  const q = async (text: string) => (await sql.query<RowDataPacket[]>(text, [database]))[0];

  const tables = new Set((await q("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'")).map((r) => String(r.TABLE_NAME)));
  const columns = await q(
    `SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, c.IS_NULLABLE, c.COLUMN_DEFAULT, c.EXTRA, c.CHARACTER_MAXIMUM_LENGTH,
            c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.DATETIME_PRECISION,
            EXISTS(SELECT 1 FROM information_schema.CHECK_CONSTRAINTS k WHERE k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
                   AND k.CHECK_CLAUSE LIKE CONCAT('%json_valid(\`', c.COLUMN_NAME, '\`)%')) AS IS_JSON
       FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = ?`,
  );
  const stats = await q('SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX');
  const fks = await q(
    `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION) AS cols, k.REFERENCED_TABLE_NAME,
            GROUP_CONCAT(k.REFERENCED_COLUMN_NAME ORDER BY k.ORDINAL_POSITION) AS refcols, r.DELETE_RULE
       FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
      WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
      GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.REFERENCED_TABLE_NAME, r.DELETE_RULE`,
  );

  const modelTable = new Map(datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (m: DmmfModel, field: string) => {
    const f = m.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };

  for (const t of tables) if (t !== '_prisma_migrations' && ![...modelTable.values()].includes(t)) drift.push(`table ${t} exists in the database but not in schema.prisma`);

  for (const m of datamodel.models) {
    const table = modelTable.get(m.name)!;
    if (!tables.has(table)) {
      drift.push(`model ${m.name}: table ${table} is missing in the database`);
      continue;
    }
    const cols = new Map(columns.filter((c) => c.TABLE_NAME === table).map((c) => [String(c.COLUMN_NAME), c]));
    const scalars = m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
    for (const f of scalars) {
      const name = f.dbName ?? f.name;
      const c = cols.get(name);
      if (!c) {
        drift.push(`${table}.${name}: column missing in the database`);
        continue;
      }
      const [want, got] = [expectedType(f, enums), actualType(c)];
      if (want !== got) drift.push(`${table}.${name}: type ${got} in the database, ${want} in schema.prisma`);
      if (f.isRequired !== (c.IS_NULLABLE === 'NO')) drift.push(`${table}.${name}: ${c.IS_NULLABLE === 'NO' ? 'NOT NULL' : 'NULL'} in the database, ${f.isRequired ? 'required' : 'optional'} in schema.prisma`);
      const autoinc = (f.default as { name?: string } | undefined)?.name === 'autoincrement';
      if (autoinc !== /auto_increment/i.test(String(c.EXTRA))) drift.push(`${table}.${name}: auto_increment differs`);
      const dbHasDefault = c.COLUMN_DEFAULT !== null && c.COLUMN_DEFAULT !== 'NULL';
      if (!autoinc && f.hasDefaultValue !== dbHasDefault) drift.push(`${table}.${name}: ${dbHasDefault ? 'has' : 'lacks'} a default in the database, ${f.hasDefaultValue ? 'has' : 'lacks'} one in schema.prisma`);
    }
    for (const name of cols.keys()) if (!scalars.some((f) => (f.dbName ?? f.name) === name)) drift.push(`${table}.${name}: column exists in the database but not in schema.prisma`);

    // Indexes, compared as (kind, ordered columns).
    const want = new Set(
      datamodel.indexes.filter((i) => i.model === m.name).map((i) => `${i.type === 'id' ? 'primary' : i.type === 'unique' ? 'unique' : 'index'}(${i.fields.map((f) => columnOf(m, f.name)).join(',')})`),
    );
    const byIndex = new Map<string, { unique: boolean; cols: string[] }>();
    for (const s of stats.filter((s) => s.TABLE_NAME === table)) {
      const e = byIndex.get(String(s.INDEX_NAME)) ?? { unique: Number(s.NON_UNIQUE) === 0, cols: [] };
      e.cols.push(String(s.COLUMN_NAME));
      byIndex.set(String(s.INDEX_NAME), e);
    }
    const got = new Set([...byIndex].map(([name, e]) => `${name === 'PRIMARY' ? 'primary' : e.unique ? 'unique' : 'index'}(${e.cols.join(',')})`));
    for (const w of want) if (!got.has(w)) drift.push(`${table}: ${w} missing in the database`);
    for (const g of got) if (!want.has(g)) drift.push(`${table}: ${g} exists in the database but not in schema.prisma`);

    // Foreign keys from relation fields that hold the scalar side.
    for (const f of m.fields.filter((x) => x.kind === 'object' && x.relationFromFields?.length)) {
      const cols = f.relationFromFields!.map((n) => columnOf(m, n)).join(',');
      const target = datamodel.models.find((x) => x.name === f.type)!;
      const refcols = f.relationToFields!.map((n) => columnOf(target, n)).join(',');
      const onDelete = (f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull')).replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
      const fk = fks.find((k) => k.TABLE_NAME === table && k.cols === cols);
      if (!fk) drift.push(`${table}(${cols}): foreign key to ${modelTable.get(f.type)} missing in the database`);
      else if (fk.REFERENCED_TABLE_NAME !== modelTable.get(f.type) || fk.refcols !== refcols || fk.DELETE_RULE !== onDelete)
        drift.push(`${table}(${cols}): foreign key differs (database → ${fk.REFERENCED_TABLE_NAME}(${fk.refcols}) ON DELETE ${fk.DELETE_RULE}, schema → ${modelTable.get(f.type)}(${refcols}) ON DELETE ${onDelete})`);
    }
    const declared = m.fields.filter((x) => x.kind === 'object' && x.relationFromFields?.length).map((x) => x.relationFromFields!.map((n) => columnOf(m, n)).join(','));
    for (const k of fks.filter((k) => k.TABLE_NAME === table)) if (!declared.includes(k.cols)) drift.push(`${table}(${k.cols}): foreign key ${k.CONSTRAINT_NAME} exists in the database but not in schema.prisma`);
  }
  return drift;
}
