// A stand-in for one instance's start-up: waits for the given moment, so that several processes
// migrate the same SQLite file at once, then applies pending migrations and prints how many.
import { createSqliteDb } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrator.js';

const [file, at] = process.argv.slice(2);
if (file === undefined || at === undefined) throw new Error('usage: migrate-at.ts FILE EPOCH_MS');
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(at) - Date.now())));
const db = createSqliteDb(file);
try {
  process.stdout.write(`${(await migrateToLatest(db)).length}\n`);
} finally {
  await db.close();
}
