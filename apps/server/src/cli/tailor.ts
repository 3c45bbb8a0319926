import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createDb } from '../db/create-db.js';
import { migrateDownAll, migrateToLatest } from '../db/migrator.js';
import { serve } from '../main.js';
import { createServices } from '../services.js';
import { systemClock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';

const program = new Command('tailor').description('Tailor: a self-hosted personalization engine').showHelpAfterError();

program
  .command('serve')
  .description('migrate the database and serve the console, /api and /edge')
  .action(async () => {
    await serve(loadConfig());
  });

program
  .command('migrate')
  .description('apply pending database migrations (or revert them all with --down)')
  .option('--down', 'revert every migration (destroys data)')
  .action(async (options: { down?: boolean }) => {
    const config = loadConfig();
    const db = createDb(config.database);
    try {
      const names = options.down ? await migrateDownAll(db) : await migrateToLatest(db);
      console.log(names.length === 0 ? 'Nothing to do.' : `${options.down ? 'Reverted' : 'Applied'}: ${names.join(', ')}`);
    } finally {
      await db.close();
    }
  });

const user = program.command('user').description('manage users');
user
  .command('create')
  .description('create a user in the organization')
  .requiredOption('--email <email>', 'login email')
  .requiredOption('--password <password>', 'at least 8 characters')
  .option('--first-name <name>', 'first name', '')
  .option('--last-name <name>', 'last name', '')
  .addOption(new Option('--org-role <role>', 'organization role').choices(['OWNER', 'ADMIN', 'MEMBER']).default('MEMBER'))
  .action(async (options: { email: string; password: string; firstName: string; lastName: string; orgRole: 'OWNER' | 'ADMIN' | 'MEMBER' }) => {
    const config = loadConfig();
    const db = createDb(config.database);
    try {
      await migrateToLatest(db);
      const services = createServices({ config, db, clock: systemClock });
      const created = await services.identity.createUser({
        email: options.email,
        password: options.password,
        firstName: options.firstName || options.email.split('@')[0] || 'User',
        lastName: options.lastName,
        orgRole: options.orgRole,
      });
      console.log(`Created ${created.orgRole} ${created.email} (${created.uid}).`);
    } finally {
      await db.close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DomainError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
