import { ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/database/embedded-postgres';
import { TEST_JWT_SECRET } from './app';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
/** Compiled once per test run (git-ignored), so tests exercise the real `node dist/src/main.js`. */
const BUILD_DIR = join(ROOT, '.data', `test-build-${process.env.TEST_RUN_ID ?? 'local'}`);

let built: Promise<void> | undefined;

export function buildService(): Promise<void> {
  built ??= run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(ROOT, 'tsconfig.build.json'), '--outDir', BUILD_DIR], { cwd: ROOT }).then(
    () => undefined,
  );
  return built;
}

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Milliseconds from spawn to the "Ready" line. */
  readyAfterMs: number;
  exited: Promise<number | null>;
}

/** Starts the compiled service as its own process and waits until it says it is ready. */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  await buildService();
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [join(BUILD_DIR, 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
      DEMO_SEED: 'false',
      MFA_REQUIRED_ROLES: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const readyAfterMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('Ready in')) {
        clearTimeout(timer);
        resolve(Date.now() - started);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`service exited before it was ready:\n${output}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, readyAfterMs, exited };
}
