#!/usr/bin/env node
// Stands in for Prisma's native schema engine where it cannot be downloaded (see README, "Database").
// `prisma generate` only asks for its version; anything that needs the real engine fails loudly.
if (process.argv.includes('--version')) {
  console.log('schema-engine-cli 0.0.0 (tally offline stub)');
  process.exit(0);
}
console.error(
  'tally: the native Prisma schema engine is not installed here. Migrations are applied by Tally itself at start-up (src/db/migrate.ts); to write a new migration offline see README.md, "Changing the schema".',
);
process.exit(1);
