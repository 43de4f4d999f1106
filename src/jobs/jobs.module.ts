import { Global, Module } from '@nestjs/common';
import { JobQueue } from './job-queue.service';

/** The PostgreSQL job queue (graphile-worker) every module enqueues background work on. */
@Global()
@Module({ providers: [JobQueue], exports: [JobQueue] })
export class JobsModule {}
