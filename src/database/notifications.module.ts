import { Global, Module } from '@nestjs/common';
import { NotificationListener } from './notification-listener';

/** The instance's one LISTEN connection, for any module that must hear what other instances changed. */
@Global()
@Module({
  providers: [NotificationListener],
  exports: [NotificationListener],
})
export class NotificationsModule {}
