import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalEventTransparency } from 'ical-generator';
import { DateTime } from 'luxon';

/** How far a feed reaches: 30 days back, 180 ahead. */
export const FEED_DAYS_BACK = 30;
export const FEED_DAYS_AHEAD = 180;
/** How often calendar apps are asked to fetch the feed again. */
export const FEED_REFRESH_MINUTES = 30;

export interface FeedEvent {
  uid: string;
  start: Date;
  end: Date;
  /** A resource's configured name and its clinic, or "On shift" and the clinic: never a patient or a treatment. */
  summary: string;
  location: string;
}

export interface FeedCalendar {
  name: string;
  zone: string;
  /** When the feed was built (DTSTAMP, in UTC). */
  stamp: Date;
  events: FeedEvent[];
}

/**
 * The feed as iCalendar (RFC 5545): every event in local time with TZID, and a VTIMEZONE for the zone, so
 * that Google, Apple and Outlook calendars place events right on both sides of a DST change.
 */
export function renderFeed(calendar: FeedCalendar): string {
  const cal = ical({
    name: calendar.name,
    prodId: { company: 'Clinic scheduler', product: 'Calendar feed', language: 'EN' },
    // The VTIMEZONE of every event's zone; no calendar-wide zone, so that DTSTAMP stays in UTC as RFC 5545 wants.
    timezone: { name: null, generator: getVtimezoneComponent },
    ttl: FEED_REFRESH_MINUTES * 60,
    x: [{ key: 'X-WR-TIMEZONE', value: calendar.zone }],
  });
  const stamp = DateTime.fromJSDate(calendar.stamp, { zone: 'utc' });
  for (const event of calendar.events) {
    cal.createEvent({
      id: event.uid,
      stamp,
      timezone: calendar.zone,
      start: DateTime.fromJSDate(event.start, { zone: 'utc' }),
      end: DateTime.fromJSDate(event.end, { zone: 'utc' }),
      summary: event.summary,
      location: event.location,
      transparency: ICalEventTransparency.OPAQUE,
    });
  }
  return cal.toString();
}
