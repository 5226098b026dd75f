// Which database the tests run on (DATABASE_URL), shared by the helpers and the
// run's template databases (template.ts).
import pg from 'pg';

export const databaseKind: 'sqlite' | 'postgres' = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') ? 'postgres' : 'sqlite';

/** DATABASE_URL with its user defaulting to postgres, naming `database` instead when given. */
export function postgresUrl(database?: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  if (!url.username) url.username = 'postgres';
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on the PostgreSQL server as its administrator: a test's database or schema made or dropped. */
export async function adminQuery(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}
