import { Module } from '@nestjs/common';
import { LiveEventsController } from './live-events.controller';
import { LiveEventStreams } from './live-event-streams.service';

/**
 * `GET /api/events`: the console's live boards. The changes come from the database's triggers through the
 * instance's LISTEN connection, so no module has to publish anything.
 */
@Module({
  controllers: [LiveEventsController],
  providers: [LiveEventStreams],
})
export class LiveEventsModule {}
