import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { prepareDatabase, setUpEmbeddedRoles } from './database/database-roles';
import { passwordProblem } from './auth/domain/password-policy';
import { createAdminAccount } from './staff/create-admin';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  create-admin --email <email> --password <password> [--name <name>]
      Creates an admin account (for a new deployment without the demo seed).
  migrate
      Runs pending migrations and exits.
`;

async function withDatabase<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...process.env, DEMO_SEED: 'false', JWT_SECRET: process.env.JWT_SECRET || 'x'.repeat(32) });
  let embedded: EmbeddedDatabase | undefined;
  if (config.usesEmbeddedDatabase) embedded = await startEmbeddedPostgres(config.embeddedDataDir, () => undefined);
  const roles = embedded ? await setUpEmbeddedRoles(embedded.url) : undefined;
  const servingUrl = roles?.servingUrl ?? config.databaseUrl!;
  const migrationUrl = roles?.ownerUrl ?? config.databaseMigrationUrl;
  await prepareDatabase({ servingUrl, migrationUrl });
  const dataSource = await new DataSource(dataSourceOptions(servingUrl, 2)).initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

async function createAdmin(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  const email = values.email?.trim().toLowerCase();
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    process.stderr.write('--email must be an email address\n');
    return 2;
  }
  const problem = passwordProblem(values.password ?? '', email);
  if (problem) {
    process.stderr.write(`--password ${problem}\n`);
    return 2;
  }
  return withDatabase(async (dataSource) => {
    const result = await createAdminAccount(dataSource, { email, password: values.password!, name: values.name });
    if (!result) {
      process.stderr.write(`An account for ${email} already exists\n`);
      return 1;
    }
    process.stdout.write(`Created admin ${result.email} (${result.id})\n`);
    return 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'create-admin':
      return createAdmin(rest);
    case 'migrate':
      return withDatabase(async () => {
        process.stdout.write('Migrations are up to date\n');
        return 0;
      });
    default:
      process.stdout.write(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
    process.exit(1);
  },
);
