import { defineConfig } from 'prisma/config';

// The CLI is used here only for `prisma generate` (the schema engine cannot be downloaded on
// our machines; migrations are applied by src/db/migrate.ts). The URL matches config.ts's default.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/crm' },
});
