import { Injectable, Logger as NestLogger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Logger as WorkerLogger, run, Runner, runOnce, TaskList } from 'graphile-worker';
import { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';

/** Jobs run at once per instance: they wait on the database far more than they compute (BENCHMARKS.md, scenario 8). */
export const JOB_CONCURRENCY = 8;
/** How often a worker looks for jobs scheduled for later (new jobs arrive at once by LISTEN/NOTIFY). */
export const JOB_POLL_INTERVAL_MS = 1_000;

export interface JobOptions {
  /** Not before then (default: at once). */
  runAt?: Date;
  /** One pending job per key: adding again replaces it (its payload and run_at). */
  jobKey?: string;
  maxAttempts?: number;
}

export type JobHandler = (payload: any) => Promise<void>;

/** graphile-worker's log lines through the service's logger (pino), without job payloads. */
function workerLogger(logger: NestLogger): WorkerLogger {
  return new WorkerLogger(() => (level, message) => {
    if (level === 'error') logger.error({ msg: message });
    else if (level === 'warning') logger.warn({ msg: message });
    else logger.debug({ msg: message });
  });
}

/**
 * Background work on graphile-worker: a PostgreSQL job queue with transactional enqueueing (`add` writes
 * the job in the caller's transaction, so it exists exactly when the change that needs it commits), LISTEN/
 * NOTIFY pickup (a new job starts within milliseconds on any instance), retries with back-off, scheduled
 * jobs (`runAt`) and job keys. Any number of instances work the queue at once; each job runs on one.
 * Modules register their tasks in `onModuleInit`; workers start with the application when
 * SCHEDULER_ENABLED is on (tests and the bench run due jobs themselves with `runDue`).
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new NestLogger('JobQueue');
  private readonly tasks: TaskList = {};
  private pool?: Pool;
  private runner?: Runner;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** A task's handler; a handler that throws is retried later with back-off. */
  register(task: string, handler: JobHandler): void {
    if (this.tasks[task]) throw new Error(`JobQueue: task ${task} is registered twice`);
    this.tasks[task] = async (payload) => handler(payload);
  }

  /** Enqueues a job in the caller's transaction. */
  async add(manager: EntityManager, task: string, payload: Record<string, unknown>, options: JobOptions = {}): Promise<void> {
    await manager.query(
      `SELECT graphile_worker.add_job($1::text, $2::json, run_at => $3::timestamptz, job_key => $4::text, max_attempts => coalesce($5::int, 25))`,
      [task, JSON.stringify(payload), options.runAt ?? null, options.jobKey ?? null, options.maxAttempts ?? null],
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.schedulerEnabled) await this.start();
  }

  /** Starts this instance's workers (at bootstrap with SCHEDULER_ENABLED; the bench starts them itself). */
  async start(): Promise<void> {
    if (this.runner) return;
    this.runner = await run({
      pgPool: this.workerPool(),
      taskList: this.tasks,
      concurrency: JOB_CONCURRENCY,
      pollInterval: JOB_POLL_INTERVAL_MS,
      noHandleSignals: true,
      logger: workerLogger(this.logger),
    });
    this.runner.promise.catch((error: Error) => this.logger.error({ msg: 'job workers stopped', error: error.message }));
  }

  /** Runs every job due now on this instance and returns when none is left (tests, the bench, operators). */
  async runDue(): Promise<void> {
    await runOnce({ pgPool: this.workerPool(), taskList: this.tasks, noHandleSignals: true, logger: workerLogger(this.logger) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop().catch(() => undefined);
    this.runner = undefined;
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
  }

  /** The workers' own small pool: a LISTEN connection and one per running job, apart from the request pool. */
  private workerPool(): Pool {
    if (!this.pool) {
      const url = (this.dataSource.options as { url?: string }).url;
      this.pool = new Pool({ connectionString: url, max: JOB_CONCURRENCY + 2, application_name: 'clinic-scheduler-jobs' });
      // A connection lost while idle or in use must not bring the process down; the worker reconnects.
      this.pool.on('error', (error) => this.logger.warn({ msg: 'job pool connection lost', error: error.message }));
      this.pool.on('connect', (client) => client.on('error', (error) => this.logger.warn({ msg: 'job connection lost', error: error.message })));
    }
    return this.pool;
  }
}
