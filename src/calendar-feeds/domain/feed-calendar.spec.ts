import { parseFeed } from '../../../test/support/ical';
import { renderFeed } from './feed-calendar';

describe('renderFeed', () => {
  const text = renderFeed({
    name: 'Chair 1 · Aurora',
    zone: 'America/Denver',
    stamp: new Date('2026-10-01T12:00:00Z'),
    events: [
      // 09:00 local before and after each 2026 change: MST (UTC-7) and MDT (UTC-6).
      { uid: 'a@x', start: new Date('2026-03-06T16:00:00Z'), end: new Date('2026-03-06T18:30:00Z'), summary: 'Chair 1 · Aurora', location: 'Aurora' },
      { uid: 'b@x', start: new Date('2026-03-09T15:00:00Z'), end: new Date('2026-03-09T17:30:00Z'), summary: 'Chair 1 · Aurora', location: 'Aurora' },
      { uid: 'c@x', start: new Date('2026-10-30T15:00:00Z'), end: new Date('2026-10-30T17:30:00Z'), summary: 'Chair 1 · Aurora', location: 'Aurora' },
      { uid: 'd@x', start: new Date('2026-11-02T16:00:00Z'), end: new Date('2026-11-02T18:30:00Z'), summary: 'Chair 1 · Aurora', location: 'Aurora' },
    ],
  });

  it('writes local times with a TZID, a VTIMEZONE for America/Denver, and DTSTAMP in UTC', () => {
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:America/Denver');
    expect(text.match(/DTSTART;TZID=America\/Denver:\d{8}T\d{6}/g)).toEqual([
      'DTSTART;TZID=America/Denver:20260306T090000',
      'DTSTART;TZID=America/Denver:20260309T090000',
      'DTSTART;TZID=America/Denver:20261030T090000',
      'DTSTART;TZID=America/Denver:20261102T090000',
    ]);
    expect(text).toContain('DTSTAMP:20261001T120000Z');
  });

  it('parses back to the same instants with an iCalendar parser', () => {
    const { timezones, events } = parseFeed(text);
    expect(timezones).toEqual(['America/Denver']);
    expect(events.map((e) => e.tzid)).toEqual(Array(4).fill('America/Denver'));
    expect(events.map((e) => e.start.toISOString())).toEqual([
      '2026-03-06T16:00:00.000Z',
      '2026-03-09T15:00:00.000Z',
      '2026-10-30T15:00:00.000Z',
      '2026-11-02T16:00:00.000Z',
    ]);
  });
});
