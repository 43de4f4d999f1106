import type ICALModule from 'ical.js' with { 'resolution-mode': 'import' };

// ical.js ships an ES module and a CommonJS build; TypeScript types only the former.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL: typeof ICALModule = require('ical.js');

export interface ParsedEvent {
  uid: string;
  summary: string;
  location: string;
  /** The local wall time as written, YYYY-MM-DDTHH:mm:ss. */
  localStart: string;
  tzid: string | undefined;
  start: Date;
  end: Date;
}

/** A feed read with ical.js (an RFC 5545 parser): its VTIMEZONE ids and its events, times resolved through them. */
export function parseFeed(text: string): { timezones: string[]; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const timezones = calendar.getAllSubcomponents('vtimezone').map((zone) => String(zone.getFirstPropertyValue('tzid')));
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      location: event.location,
      localStart: event.startDate.toString(),
      tzid: event.startDate.zone?.tzid,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
    };
  });
  return { timezones, events };
}
