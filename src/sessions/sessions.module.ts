import { Module } from '@nestjs/common';

/** Filled in by its feature work; registered in AppModule already. */
@Module({})
export class SessionsModule {}
