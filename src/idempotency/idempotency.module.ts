import { Injectable, Logger, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Interval } from '@nestjs/schedule';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';

@Injectable()
export class IdempotencyKeyPruner {
  private readonly logger = new Logger(IdempotencyKeyPruner.name);

  constructor(private readonly keys: IdempotencyRepository) {}

  /** Keys are kept 24 hours; any instance may prune (the DELETE is idempotent). */
  @Interval(60 * 60 * 1000)
  async prune(): Promise<void> {
    const removed = await this.keys.deleteExpired().catch((error: Error) => {
      this.logger.warn(`pruning idempotency keys failed: ${error.message}`);
      return 0;
    });
    if (removed) this.logger.log(`pruned ${removed} expired idempotency keys`);
  }
}

@Module({
  providers: [IdempotencyRepository, IdempotencyKeyPruner, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class IdempotencyModule {}
