// Which database the tests run on (DATABASE_URL), shared by the helpers and the
// run's template databases (template.ts).

export const databaseKind: 'sqlite' | 'postgres' = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') ? 'postgres' : 'sqlite';

/** DATABASE_URL with its user defaulting to postgres, naming `database` instead when given. */
export function postgresUrl(database?: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  if (!url.username) url.username = 'postgres';
  if (database) url.pathname = `/${database}`;
  return url.toString();
}
