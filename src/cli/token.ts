/**
 * `npm run crm:token -- --staff <wecom userid> --name <label>`: issues an admin API token for a
 * staff member and prints it once (stdout, alone on its line, so `$(…)` captures it); only its
 * SHA-256 is stored. `--list [--staff <userid>]` shows tokens, `--revoke <id>` revokes one.
 * Exit codes: 0 done, 1 failure (unknown staff …), 2 bad arguments or configuration.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createApiToken, listApiTokens, revokeApiToken } from '../api/tokens.ts';
import { loadConfig } from '../config.ts';
import { runCli } from './run.ts';
import { migrate } from '../db/migrate.ts';
import { createPrisma } from '../db/prisma.ts';
import { isAppError } from '../crm/kernel/index.ts';

export const TOKEN_USAGE = `usage: npm run crm:token -- --staff <wecom userid> --name <label>
       npm run crm:token -- --list [--staff <wecom userid>]
       npm run crm:token -- --revoke <token id>

  --staff ID    the staff member the token acts as (its role and stores decide what it may do)
  --name LABEL  what the token is for (laptop, bi-sync …), 1–64 characters
  --list        list tokens (never the tokens themselves: only their hashes are stored)
  --revoke ID   revoke a token by its id (from --list); it is refused at once`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs the command against DATABASE_URL; returns the exit code. */
export async function runTokenCli(argv: string[], databaseUrl: string, io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { staff: { type: 'string' }, name: { type: 'string' }, list: { type: 'boolean' }, revoke: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.err(`crm:token: ${(e as Error).message}\n\n${TOKEN_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(TOKEN_USAGE);
    return 0;
  }
  const modes = [values.list, values.revoke !== undefined, values.name !== undefined].filter(Boolean).length;
  if (modes !== 1 || (values.name !== undefined && !values.staff)) {
    io.err(`crm:token: give --staff and --name to create a token, or --list, or --revoke <id>\n\n${TOKEN_USAGE}`);
    return 2;
  }
  if (values.revoke !== undefined && !/^\d+$/.test(values.revoke)) {
    io.err('crm:token: --revoke takes a numeric token id (see --list)');
    return 2;
  }

  await migrate(databaseUrl);
  const db = createPrisma(databaseUrl, 2);
  const services = { db, now: () => new Date() };
  try {
    if (values.list) {
      const rows = await listApiTokens(services, values.staff);
      io.out(['id', 'staff', 'name', 'created', 'last used', 'revoked'].join('\t'));
      for (const t of rows) io.out([t.id, t.staff, t.name, t.createdAt.toISOString(), t.lastUsedAt?.toISOString() ?? '-', t.revokedAt?.toISOString() ?? '-'].join('\t'));
      return 0;
    }
    if (values.revoke !== undefined) {
      const ok = await revokeApiToken(services, Number(values.revoke));
      if (!ok) {
        io.err(`crm:token: no token with id ${values.revoke}`);
        return 1;
      }
      io.err(`token ${values.revoke} revoked`);
      return 0;
    }
    const created = await createApiToken(services, { staff: values.staff!, name: values.name! });
    io.err(`token ${created.id} "${created.name}" for ${created.staff.wecomUserId} (${created.staff.role}); shown once, store it now:`);
    io.out(created.token);
    return 0;
  } catch (e) {
    if (isAppError(e)) {
      io.err(`crm:token: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A bad configuration exits 2, any other failure 1 with a one-line message (runCli).
  runCli('crm:token', () =>
    runTokenCli(process.argv.slice(2), loadConfig().DATABASE_URL, { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }),
  );
}
