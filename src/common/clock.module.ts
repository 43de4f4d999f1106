import { DynamicModule, Logger, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { FileClock } from './file-clock';

@Module({})
export class ClockModule {
  /** `testClockFile`: browser tests of the built service set the time through this file (never in production). */
  static forRoot(testClockFile?: string): DynamicModule {
    const clock = testClockFile ? new FileClock(testClockFile) : new SystemClock();
    if (testClockFile) new Logger('Clock').warn(`TEST_CLOCK_FILE: the time is read from ${testClockFile} (tests only)`);
    return { module: ClockModule, global: true, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
