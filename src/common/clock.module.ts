import { DynamicModule, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

@Module({})
export class ClockModule {
  static forRoot(): DynamicModule {
    return { module: ClockModule, global: true, providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] };
  }
}
