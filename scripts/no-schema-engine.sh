#!/bin/sh
# Stand-in for Prisma's schema-engine binary, which cannot be downloaded on machines that reach
# only the npm registry. `prisma generate` checks that an engine path exists but never runs it.
# Migrations are applied by src/db/migrate.ts instead. See docs/prisma-without-engines.md.
echo "schema engine not available" >&2
exit 1
