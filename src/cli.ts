// The `harbinger` command: serve (default), migrate, seed-demo.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemo } from './demo/seed.js';
import { closeOnSignals, startServer } from './server.js';

const HELP = `Usage: harbinger <command> [options]

Commands:
  serve        Run the web server (default). Migrates the database and loads
               the demo content into an empty database first.
  migrate      Apply pending database migrations and exit.
  seed-demo    Load the demo magazine into an empty database and exit.
  help         Show this help.

Configuration comes from environment variables; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } });
  const command = positionals[0] ?? 'serve';
  if (values.help || command === 'help') {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig();

  switch (command) {
    case 'serve': {
      const server = await startServer(config);
      closeOnSignals(server);
      console.log(`\n  ${config.siteName} is running at ${server.url}\n`);
      return -1;
    }
    case 'migrate': {
      const database = openDatabase(config.database);
      try {
        const { applied } = await migrateToLatest(database.db);
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'seed-demo': {
      const database = openDatabase(config.database);
      try {
        await migrateToLatest(database.db);
        const report = await seedDemo(database.db, config.mediaDir);
        console.log(
          report.seeded
            ? `Loaded the demo: ${report.articles} articles and ${report.people} people.`
            : 'The database already has content; the demo was not loaded. Use a fresh DATA_DIR or DATABASE_URL to try it.',
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    default:
      console.error(`Unknown command: ${command}\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    console.error(err);
    process.exit(1);
  },
);
