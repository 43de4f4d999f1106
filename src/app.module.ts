import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppointmentsModule } from './appointments/appointments.module';
import { AccessModule } from './access/access.module';
import { AuditModule } from './audit/audit.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { AuthModule } from './auth/auth.module';
import { CalendarFeedsModule } from './calendar-feeds/calendar-feeds.module';
import { CoursesModule } from './courses/courses.module';
import { SessionsModule } from './sessions/sessions.module';
import { RemindersModule } from './reminders/reminders.module';
import { ClockModule } from './common/clock.module';
import { loggerParams } from './common/logging';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions, READ_CONNECTION, readDataSourceOptions } from './database/data-source-options';
import { prepareDatabase } from './database/database-roles';
import { NotificationsModule } from './database/notifications.module';
import { FhirModule } from './fhir/fhir.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LiveEventsModule } from './live-events/live-events.module';
import { LocationsModule } from './locations/locations.module';
import { PatientsModule } from './patients/patients.module';
import { ReportsModule } from './reports/reports.module';
import { RecallsModule } from './recalls/recalls.module';
import { SeedModule } from './seed/seed.module';
import { StaffModule } from './staff/staff.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WorklistModule } from './worklist/worklist.module';
import { WaitlistModule } from './waitlist/waitlist.module';
import { RepliesModule } from './replies/replies.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** The database to serve from (the serving role): DATABASE_URL, or the embedded server's serving role. */
  databaseUrl: string;
  /** The owner role's URL, to migrate with (DATABASE_MIGRATION_URL, or the embedded owner); without it, the serving URL migrates. */
  migrationUrl?: string;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, migrationUrl }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(config.testClockFile),
        ScheduleModule.forRoot(),
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(databaseUrl, config.databasePoolSize),
          // Migrate (as the owner, then grant the serving role) before any module sees the data source.
          dataSourceFactory: async (options) => {
            await prepareDatabase({ servingUrl: databaseUrl, migrationUrl });
            return new DataSource(options!).initialize();
          },
        }),
        TypeOrmModule.forRootAsync({
          name: READ_CONNECTION,
          useFactory: () => readDataSourceOptions(config.databaseReadUrl ?? databaseUrl, config.databaseReadPoolSize),
        }),
        NotificationsModule,
        JobsModule,
        HealthModule,
        AuditModule,
        StaffModule,
        AuthModule,
        AccessModule,
        LocationsModule,
        PatientsModule,
        AppointmentsModule,
        IdempotencyModule,
        CoursesModule,
        SessionsModule,
        RemindersModule,
        WorklistModule,
        ReportsModule,
        WaitlistModule,
        RepliesModule,
        WebhooksModule,
        FhirModule,
        CalendarFeedsModule,
        RecallsModule,
        LiveEventsModule,
        SeedModule,
      ],
    };
  }
}
