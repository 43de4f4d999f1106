import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, query } from '../access/access.decorators';
import { Roles } from '../auth/auth.decorators';
import { AuthenticatedUser, CurrentUser } from '../common/actor';
import { LiveEventsQueryDto } from './dto/live-events.dto';
import { LiveEventStreams } from './live-event-streams.service';

const STREAM_DESCRIPTION = [
  'A server-sent event stream (text/event-stream) of the changes at one clinic, from every instance of the service.',
  'Events: `ready` (the stream is listening), `appointment` (`appointmentId`, `change`: booked, rescheduled, moved-away, cancelled, no_show, updated),',
  '`status` (`appointmentId`, `status`), `vitals` (`appointmentId`, `vitalsId`), `waitlist` (`entryId`, `offerId`, `change`), and `reset`',
  '(changes may have been missed: refetch everything). Ids and kinds only: the client refetches what changed through the audited routes.',
  'A comment line is sent every LIVE_EVENTS_HEARTBEAT_SECONDS. Send the bearer token in the Authorization header (use fetch streaming;',
  'never put a token in the URL). The stream ends after one access-token lifetime, or when the session ends: reconnect with the current token.',
  'More than LIVE_EVENTS_MAX_STREAMS open streams on one instance: 503 with Retry-After.',
].join(' ');

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class LiveEventsController {
  constructor(private readonly streams: LiveEventStreams) {}

  @Roles('front_desk', 'nurse', 'provider')
  @Access({ location: query('locationId') })
  @Get()
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: "A live stream of the clinic's changes (server-sent events)", description: STREAM_DESCRIPTION })
  @ApiOkResponse({ description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 503, description: 'This instance serves as many streams as it may (Retry-After)' })
  stream(@Query() streamQuery: LiveEventsQueryDto, @CurrentUser() user: AuthenticatedUser, @Res() reply: FastifyReply): void {
    this.streams.start(reply, streamQuery.locationId, user);
  }
}
