// The `harbinger` command: serve (default), migrate, seed-demo, reindex, worker, user,
// import, export, backup, restore.
// Each command imports what it needs when it runs, so migrate and seed-demo
// start without loading the web app.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { RoleName } from './db/schema.js';
import { AppError } from './web/errors.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';

const help = (roleNames: readonly string[]) => `Usage: harbinger <command> [options]

Commands:
  serve        Run the web server (default). Migrates the database and loads
               the demo content into an empty database first.
  migrate      Apply pending database migrations and exit.
  seed-demo    Load the demo magazine into an empty database and exit.
  reindex      Rebuild the site search index from the published articles and
               the people, and exit.
  user create --email EMAIL --role ROLE [--section SLUG] [--name NAME] [--person SLUG]
               Create a staff account (linked to a person profile holding
               ROLE from today) and print a one-time sign-in link. A section
               editor needs --section with the slug of their section.
               Roles: ${roleNames.join(', ')}.
  worker [--once]
               Run only the job worker (scheduled publishing, email), e.g.
               beside app servers started with RUN_WORKER=false.
  user link --email EMAIL
               Print a one-time sign-in link for an existing account.
  user reset-two-factor --email EMAIL
               Turn two-factor sign-in off for someone who lost their phone
               and their recovery codes, and end their sessions (a role that
               requires it sets it up again at the next sign-in).
  import wordpress FILE.xml [--uploads DIR] [--dry-run] [--report FILE]
               Import a WordPress export (WXR): posts, pages, authors,
               categories, tags and pictures (from a copy of wp-content/uploads).
  import ghost FILE.json [--content DIR] [--members [--newsletter SLUG]] [--dry-run] [--report FILE]
               Import a Ghost export (versions 2 to 6; pictures from a copy of its
               content folder); --members also imports the members who subscribed
               as confirmed subscribers of the first newsletter (or SLUG's).
  import harbinger DIR [--dry-run]
               Load a bundle made by \`harbinger export\` into an empty database.
  export DIR   Write the whole magazine as a bundle (JSON and media files) to DIR.
  backup DIR   Back up the database and every media file to DIR (new or empty),
               with SHA-256 checksums, while the site runs.
  restore DIR  Check a backup's checksums, load it into an empty database and
               empty media folders, and migrate it to this version.
  help         Show this help.

Configuration comes from environment variables; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      once: { type: 'boolean' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      person: { type: 'string' },
      section: { type: 'string' },
      'dry-run': { type: 'boolean' },
      uploads: { type: 'string' },
      content: { type: 'string' },
      members: { type: 'boolean' },
      newsletter: { type: 'string' },
      report: { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help || command === 'help') {
    console.log(help(await roleNames()));
    return 0;
  }
  const config = loadConfig();

  switch (command) {
    case 'serve': {
      const { closeOnSignals, startServer } = await import('./server.js');
      const server = await startServer(config);
      closeOnSignals(server);
      console.log(`\n  ${config.siteName} is running at ${server.url}\n`);
      if (config.seedDemo && config.env !== 'production') {
        const { DEMO_EDITOR_EMAIL } = await import('./demo/seed.js');
        const editorId = await server.app.accounts.findUserIdByEmail(DEMO_EDITOR_EMAIL);
        if (editorId) {
          console.log(`  Sign in to the newsroom as the demo's editor-in-chief (${DEMO_EDITOR_EMAIL}) with this one-time link:`);
          console.log(`  ${await server.app.accounts.signInLinkFor(editorId, '/newsroom')}`);
          console.log(`  (another one: npm run harbinger -- user link --email ${DEMO_EDITOR_EMAIL})\n`);
          if (config.staffTwoFactor === 'required') {
            console.log("  The editor-in-chief's role requires two-factor sign-in: after the link, add the key the page shows to an");
            console.log('  authenticator app (or get codes with `oathtool --totp -b KEY`), type its six-digit code and keep the');
            console.log('  recovery codes. To try the newsroom without it, start the demo with STAFF_TWO_FACTOR=optional.\n');
          }
        }
      }
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
      const [{ seedDemo }, { mediaStorageFor }] = await Promise.all([import('./demo/seed.js'), import('./modules/media/storage.js')]);
      const database = openDatabase(config.database);
      const storage = mediaStorageFor(config);
      try {
        await migrateToLatest(database.db);
        const report = await seedDemo(database.db, storage, config.wall.previewParagraphs);
        console.log(
          report.seeded
            ? `Loaded the demo: ${report.articles} articles and ${report.people} people.`
            : 'The database already has content; the demo was not loaded. Use a fresh DATA_DIR or DATABASE_URL to try it.',
        );
      } finally {
        storage.close();
        await database.close();
      }
      return 0;
    }
    case 'reindex': {
      const { SearchService } = await import('./modules/search/index.js');
      const database = openDatabase(config.database);
      try {
        await migrateToLatest(database.db);
        const report = await new SearchService(database.db, config.wall.previewParagraphs).reindex();
        console.log(`Indexed ${report.articles} article(s) and ${report.people} people for search.`);
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'worker': {
      const [{ buildApp }, { closeOnSignals }] = await Promise.all([import('./app.js'), import('./server.js')]);
      const database = openDatabase(config.database);
      await migrateToLatest(database.db);
      const app = await buildApp({ config, database });
      if (values.once) {
        const ran = await app.worker.runOnce();
        console.log(`Ran ${ran} job(s).`);
        await app.close();
        await database.close();
        return 0;
      }
      // The worker's timers do not keep a process alive on their own; here nothing else does.
      app.worker.start({ keepAlive: true });
      app.contentVersion.startPolling();
      console.log('The job worker is running. Stop it with Ctrl-C.');
      // On SIGTERM it stops claiming jobs, finishes those it is running (app.close()
      // waits for them), closes the database and exits 0.
      closeOnSignals({
        app,
        close: async () => {
          await app.close();
          await database.close();
        },
      });
      return -1;
    }
    case 'import': {
      const format = positionals[1];
      if (format === 'harbinger')
        return (await import('./modules/bundle/cli.js')).importBundleCommand(positionals.slice(2), values, config);
      return (await import('./modules/imports/cli.js')).importCommand(format, positionals.slice(2), values, config);
    }
    case 'export':
      return (await import('./modules/bundle/cli.js')).exportCommand(positionals.slice(1), values, config);
    case 'backup':
      return (await import('./ops/cli.js')).backupCommand(positionals.slice(1), config);
    case 'restore':
      return (await import('./ops/cli.js')).restoreCommand(positionals.slice(1), config);
    case 'user':
      return userCommand(positionals[1], values as Record<string, string | undefined>, config);
    default:
      console.error(`Unknown command: ${command}\n\n${help(await roleNames())}`);
      return 2;
  }
}

async function userCommand(sub: string | undefined, values: Record<string, string | undefined>, config: Config): Promise<number> {
  if (sub !== 'create' && sub !== 'link' && sub !== 'reset-two-factor') {
    console.error(
      `Usage: harbinger user create --email EMAIL --role ROLE | harbinger user link --email EMAIL | harbinger user reset-two-factor --email EMAIL`,
    );
    return 2;
  }
  const email = values.email?.trim();
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    console.error('Give the account an email address: --email name@example.org');
    return 2;
  }
  const [{ buildApp }, { linkStaffAccount, ROLE_NAMES, SECTION_ROLES }] = await Promise.all([
    import('./app.js'),
    import('./modules/people/index.js'),
  ]);
  const database = openDatabase(config.database);
  const app = await buildApp({ config, database, logger: false });
  try {
    await migrateToLatest(database.db);
    if (sub === 'link') {
      const id = await app.accounts.findUserIdByEmail(email);
      if (!id) {
        console.error(`There is no account with ${email}.`);
        return 1;
      }
      console.log(await app.accounts.signInLinkFor(id));
      return 0;
    }
    if (sub === 'reset-two-factor') {
      const id = await app.accounts.findUserIdByEmail(email);
      if (!id) {
        console.error(`There is no account with ${email}.`);
        return 1;
      }
      await app.accounts.resetTwoFactor(id);
      console.log(`Two-factor sign-in is off for ${email}, and its sessions have ended.`);
      return 0;
    }
    const role = values.role as RoleName | undefined;
    if (!role || !ROLE_NAMES.includes(role)) {
      console.error(`Choose a role with --role: ${ROLE_NAMES.join(', ')}`);
      return 2;
    }
    // Checked before the account is created, so a refused command leaves nothing behind.
    const sectionSlug = values.section?.trim();
    const sections = await app.articles.sections();
    const section = sectionSlug ? sections.find((s) => s.slug === sectionSlug) : undefined;
    if (sectionSlug && !section) {
      console.error(`There is no section with the slug ${sectionSlug}. Sections: ${sections.map((s) => s.slug).join(', ') || 'none yet'}.`);
      return 2;
    }
    if (SECTION_ROLES.includes(role) && !section) {
      console.error(
        `A ${role} edits one section: name it with --section SLUG (${sections.map((s) => s.slug).join(', ') || 'no sections yet'}).`,
      );
      return 2;
    }
    const name = values.name?.trim() || email.split('@')[0]!;
    const userId = await app.accounts.createVerifiedUser(email, name);
    const { slug } = await linkStaffAccount(database.db, {
      userId,
      role,
      sectionId: section?.id ?? null,
      name,
      ...(values.person ? { personSlug: values.person } : {}),
    });
    await app.contentVersion.bump();
    console.log(`Created ${email} (${role}${section ? `, ${section.name}` : ''}), linked to /people/${slug}.`);
    console.log(`One-time sign-in link (valid for 24 hours):\n${await app.accounts.signInLinkFor(userId, '/newsroom')}`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await app.close();
    await database.close();
  }
}

async function roleNames(): Promise<readonly RoleName[]> {
  return (await import('./modules/people/index.js')).ROLE_NAMES;
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
