// Runs `prisma generate` when prisma/schema.prisma changed since the last run.
// Prisma's native schema engine cannot be downloaded on our machines and generate never needs
// it, so PRISMA_SCHEMA_ENGINE_BINARY points at a stub (see README "Why no prisma migrate").
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const schema = readFileSync(`${root}prisma/schema.prisma`);
const stamp = `${root}src/generated/prisma/.schema-hash`;
const hash = createHash('sha256').update(schema).digest('hex');
if (process.argv.includes('--force') || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  const res = spawnSync(process.execPath, [`${root}node_modules/prisma/build/index.js`, 'generate'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: `${root}scripts/schema-engine-stub.sh`, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
  writeFileSync(stamp, hash);
}
