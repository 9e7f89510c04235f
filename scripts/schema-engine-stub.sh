#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded here; `prisma generate` never calls it.
echo "schema engine not available: migrations are applied by src/db/migrate.ts" >&2
exit 1
