import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import type { CalendarFeedEntity } from '../calendar-feed.entity';
import { FEED_SCOPES, FeedScope } from '../domain/feed-scope';

export class CreateCalendarFeedDto {
  @ApiProperty({
    enum: FEED_SCOPES,
    description: 'staff: your own shifts and visits (an admin may name anyone); resource: a chair, device, suite or bay; location: a clinic',
  })
  @IsIn(FEED_SCOPES)
  scope: FeedScope;

  @ApiProperty({ format: 'uuid', description: 'The staff member, resource or clinic' })
  @IsUUID()
  id: string;
}

export class CalendarFeedResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: FEED_SCOPES }) scope: FeedScope;
  @ApiProperty({ format: 'uuid' }) targetId: string;
  @ApiProperty() createdAt: string;
}

export class CreatedCalendarFeedResponse extends CalendarFeedResponse {
  @ApiProperty({
    example: 'http://localhost:3000/ical/Jm9kYXRhLXRva2VuLWV4YW1wbGUtMDEyMzQ1Njc4OWFiY2Q.ics',
    description: 'Subscribe to it in a calendar app. Its token is the only credential and is shown only here; revoke the feed to shut it',
  })
  url: string;
}

export function toCalendarFeedResponse(feed: CalendarFeedEntity): CalendarFeedResponse {
  return { id: feed.id, scope: feed.scope, targetId: feed.targetId, createdAt: toClinicIso(new Date(feed.createdAt)) };
}
