import fc from 'fast-check';
import { DateTime } from 'luxon';
import { APPOINTMENT_TYPES } from '../../appointments/domain/vocabulary';
import { DEFAULT_REMINDER_POLICY, planReminders, ReminderKind } from './reminder-planner';
import {
  ClinicContact,
  FORBIDDEN_WORDS,
  findForbiddenWord,
  MAX_TEXT_LENGTH,
  renderConfirmedText,
  renderHelpText,
  renderOfferDeclinedText,
  renderOfferText,
  renderOptInText,
  renderOptOutText,
  renderReminderText,
  renderRescheduleOptionsText,
  renderTakenText,
  REPLY_LINE,
} from './templates';

const zone = 'America/Denver';

/** The group's clinics as the reference-data migration creates them. */
const CLINICS: ClinicContact[] = [
  { name: 'Aurora Clinic', address: '14200 E Alameda Ave, Suite 300, Aurora, CO 80012', phone: '+13035550140' },
  { name: 'Louisville Clinic', address: '1000 W South Boulder Rd, Suite 110, Louisville, CO 80027', phone: '+13035550141' },
  { name: 'Westminster Clinic', address: '8800 N Sheridan Blvd, Suite 200, Westminster, CO 80031', phone: '+13035550142' },
  // The longest a clinic's name and address may be stored.
  { name: 'N'.repeat(120), address: 'A'.repeat(250), phone: '+13035550199' },
];

const KINDS: ReminderKind[] = ['confirmation', 'rescheduled', '48h', '2h', 'evening_before'];
const STARTS = ['2027-08-02T07:30:00-06:00', '2027-08-02T13:15:00-06:00', '2027-11-08T09:00:00-07:00', '2027-03-15T18:45:00-06:00'];

/** Every rendering: every clinic, kind, appointment type (with its preparation line), mode, start time and send day. */
function everyRendering(): string[] {
  const texts: string[] = [];
  for (const clinic of CLINICS) {
    for (const kind of KINDS) {
      for (const type of APPOINTMENT_TYPES) {
        for (const telehealth of [false, true]) {
          for (const start of STARTS) {
            const startsAt = new Date(start);
            for (const daysBefore of [0, 1, 2, 5]) {
              const sendAt = new Date(startsAt.getTime() - daysBefore * 86_400_000 - 3_600_000);
              texts.push(renderReminderText({ kind, clinic, startsAt, sendAt, zone, preparation: DEFAULT_REMINDER_POLICY.preparation[type], telehealth }));
            }
          }
        }
      }
    }
    texts.push(renderHelpText(clinic));
    for (const start of STARTS) {
      const startsAt = new Date(start);
      const later = (days: number) => new Date(startsAt.getTime() + days * 86_400_000);
      texts.push(
        renderConfirmedText({ clinic, zone, startsAt }),
        ...[0, 1, 2, 3].map((count) => renderRescheduleOptionsText({ clinic, zone, starts: [later(1), later(2), later(3)].slice(0, count) })),
        renderTakenText({ clinic, zone }),
        renderOfferText({ clinic, zone, startsAt, expiresAt: new Date(Date.now()) }),
        renderOfferDeclinedText({ clinic, zone }),
      );
    }
  }
  texts.push(renderOptOutText(), renderOptInText());
  return texts;
}

describe('reminder texts', () => {
  const texts = everyRendering();

  it('never name a treatment or a diagnosis, in any rendering of any template', () => {
    expect(texts.length).toBeGreaterThan(1000);
    for (const text of texts) {
      for (const word of FORBIDDEN_WORDS) expect(text.toLowerCase()).not.toContain(word);
      expect(findForbiddenWord(text)).toBeUndefined();
    }
  });

  it('are plain ASCII and at most 320 characters', () => {
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
      expect(text).toMatch(/^[\x20-\x7E]+$/);
    }
  });

  it('finds forbidden words as words, in any case, but not inside harmless words', () => {
    expect(findForbiddenWord('Your TMS session')).toBe('TMS');
    expect(findForbiddenWord('ECT Suite')).toBe('ECT');
    expect(findForbiddenWord('Psychiatric Associates')).toBe('Psychiatr');
    expect(findForbiddenWord('treatment resistant')).toBeDefined();
    expect(findForbiddenWord('Ketamine Center')).toBe('Ketamine');
    expect(findForbiddenWord('Please select a time and connect with us; expect a call')).toBeUndefined();
    expect(findForbiddenWord('Aurora Clinic, 14200 E Alameda Ave')).toBeUndefined();
  });

  it('give the clinic, the local date and time, address, phone, the preparation line and how to stop', () => {
    const text = renderReminderText({
      kind: 'evening_before',
      clinic: CLINICS[0],
      startsAt: new Date('2027-08-03T07:30:00-06:00'),
      sendAt: new Date('2027-08-02T18:00:00-06:00'),
      zone,
      preparation: 'fasting_escort',
    });
    expect(text).toBe(
      'Aurora Clinic reminder: your appointment is tomorrow, Tue, Aug 3, at 7:30 AM. Address: 14200 E Alameda Ave, Suite 300, Aurora, CO 80012. ' +
        'Nothing to eat or drink after midnight before it, and bring an adult who can take you home. Questions or changes: (303) 555-0140. ' +
        'Reply C to confirm, R to reschedule. STOP to opt out.',
    );
  });

  it('ask for C or R in every reminder, and not in the confirmation of a booking or a move', () => {
    const startsAt = new Date('2027-08-04T10:00:00-06:00');
    // The group's clinics (a 120-character name leaves room for little besides itself).
    for (const clinic of CLINICS.slice(0, 3)) {
      for (const kind of KINDS) {
        const text = renderReminderText({ kind, clinic, startsAt, sendAt: new Date('2027-08-02T10:00:00-06:00'), zone, preparation: 'fasting_escort' });
        if (kind === 'confirmation' || kind === 'rescheduled') expect(text).not.toContain(REPLY_LINE);
        else expect(text).toContain(REPLY_LINE);
      }
    }
  });

  it('answer replies: the thank-you, the numbered times, the taken time, the offer and its decline', () => {
    const clinic = CLINICS[0];
    const at = (local: string) => new Date(`${local}-06:00`);
    expect(renderConfirmedText({ clinic, zone, startsAt: at('2027-08-03T09:00:00') })).toBe(
      'Aurora Clinic: thank you, your appointment on Tue, Aug 3 at 9:00 AM is confirmed.',
    );
    expect(renderRescheduleOptionsText({ clinic, zone, starts: [at('2027-08-03T09:00:00'), at('2027-08-05T09:15:00'), at('2027-08-06T13:00:00')] })).toBe(
      'Aurora Clinic: we can move your appointment to 1) Tue, Aug 3 at 9:00 AM 2) Thu, Aug 5 at 9:15 AM 3) Fri, Aug 6 at 1:00 PM. ' +
        'Reply 1, 2 or 3 to choose, or call (303) 555-0140.',
    );
    expect(renderRescheduleOptionsText({ clinic, zone, starts: [at('2027-08-03T09:00:00')] })).toContain('Reply 1 to choose');
    expect(renderRescheduleOptionsText({ clinic, zone, starts: [] })).toBe(
      'Aurora Clinic: we have no other time within a week of your appointment, so the clinic will call you to find one. Questions: (303) 555-0140.',
    );
    expect(renderTakenText({ clinic, zone })).toBe(
      'Aurora Clinic: sorry, that time is no longer available. The clinic will call you. Questions: (303) 555-0140.',
    );
    expect(renderOfferText({ clinic, zone, startsAt: at('2027-08-03T09:00:00'), expiresAt: at('2027-08-02T14:15:00') })).toBe(
      'Aurora Clinic: a time opened up on Tue, Aug 3 at 9:00 AM. Reply YES to take it or NO to pass. We hold it for you until 2:15 PM.',
    );
    expect(renderOfferDeclinedText({ clinic, zone })).toBe('Aurora Clinic: thank you, you stay on our waiting list.');
  });

  it('word the confirmation, the move, and the same-day reminder', () => {
    const base = { clinic: CLINICS[1], startsAt: new Date('2027-11-08T09:00:00-07:00'), zone, preparation: 'ride_home' as const };
    expect(renderReminderText({ ...base, kind: 'confirmation', sendAt: new Date('2027-11-01T12:00:00-06:00') })).toBe(
      'Louisville Clinic: your appointment is booked for Mon, Nov 8 at 9:00 AM. Address: 1000 W South Boulder Rd, Suite 110, Louisville, CO 80027. ' +
        'Please arrange a ride home: no driving until the next day. Questions or changes: (303) 555-0141. Reply STOP to opt out.',
    );
    expect(renderReminderText({ ...base, kind: 'rescheduled', sendAt: new Date('2027-11-01T12:00:00-06:00') })).toMatch(
      /^Louisville Clinic: your appointment has moved to Mon, Nov 8 at 9:00 AM\./,
    );
    expect(renderReminderText({ ...base, kind: '2h', sendAt: new Date('2027-11-08T08:00:00-07:00') })).toMatch(/your appointment is today at 9:00 AM\./);
    expect(renderReminderText({ ...base, kind: '48h', sendAt: new Date('2027-11-06T09:00:00-07:00') })).toMatch(/your appointment is Mon, Nov 8 at 9:00 AM\./);
  });

  it('leave out the address of a video visit', () => {
    const text = renderReminderText({
      kind: '2h',
      clinic: CLINICS[2],
      startsAt: new Date('2027-08-02T13:00:00-06:00'),
      sendAt: new Date('2027-08-02T11:00:00-06:00'),
      zone,
      telehealth: true,
    });
    expect(text).toContain('video visit');
    expect(text).not.toContain('Sheridan');
    expect(text).toContain('(303) 555-0142');
  });

  it('leave out a clinic name or address that would give the treatment away', () => {
    const text = renderReminderText({
      kind: 'confirmation',
      clinic: { name: 'Front Range Ketamine & TMS Center', address: '1 Psychiatry Way, Denver, CO', phone: '+13035550100' },
      startsAt: new Date('2027-08-02T13:00:00-06:00'),
      sendAt: new Date('2027-08-01T12:00:00-06:00'),
      zone,
    });
    expect(text).toMatch(/^Your clinic: your appointment is booked/);
    expect(findForbiddenWord(text)).toBeUndefined();
  });

  it('keep the preparation line and the phone when a long address does not fit', () => {
    const text = renderReminderText({
      kind: 'evening_before',
      clinic: CLINICS[3],
      startsAt: new Date('2027-08-03T07:30:00-06:00'),
      sendAt: new Date('2027-08-02T18:00:00-06:00'),
      zone,
      preparation: 'fasting_escort',
    });
    expect(text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(text).toContain('Nothing to eat or drink after midnight');
    expect(text).toContain('(303) 555-0199');
  });

  it('render every planned reminder of every type within the limits', () => {
    for (const type of APPOINTMENT_TYPES) {
      const startsAt = new Date('2027-08-04T10:00:00-06:00');
      for (const reminder of planReminders({ type, startsAt, now: new Date('2027-07-30T12:00:00-06:00'), zone, change: 'booked' })) {
        const text = renderReminderText({
          kind: reminder.kind,
          clinic: CLINICS[0],
          startsAt,
          sendAt: reminder.sendAt,
          zone,
          preparation: DEFAULT_REMINDER_POLICY.preparation[type],
        });
        expect(findForbiddenWord(text)).toBeUndefined();
        expect(text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
      }
    }
  });

  it('answer HELP with the clinic name, phone and how to stop; confirm STOP and START', () => {
    expect(renderHelpText(CLINICS[0])).toBe(
      'Aurora Clinic appointment texts. For help call (303) 555-0140. Reply STOP to opt out, START to opt back in. Msg & data rates may apply.',
    );
    expect(renderOptOutText()).toMatch(/unsubscribed/);
    expect(renderOptOutText()).toMatch(/START/);
    expect(renderOptInText()).toMatch(/STOP/);
  });
});

describe('date and time wording against Luxon as the oracle', () => {
  it('says the local date, time and "today"/"tomorrow" as Luxon formats them (en-US), across DST', () => {
    const clinic = CLINICS[0];
    const minute = fc.integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2028, 11, 31) / 60_000 }).map((m) => new Date(m * 60_000));
    fc.assert(
      fc.property(minute, fc.integer({ min: 0, max: 4 * 24 * 60 }), (startsAt, minutesBefore) => {
        const sendAt = new Date(startsAt.getTime() - minutesBefore * 60_000);
        const start = DateTime.fromJSDate(startsAt, { zone }).setLocale('en-US');
        const time = start.toFormat('h:mm a');
        const date = start.toFormat('ccc, LLL d');
        const days = Math.round(start.startOf('day').diff(DateTime.fromJSDate(sendAt, { zone }).startOf('day'), 'days').days);
        const expected = days === 0 ? `today at ${time}` : days === 1 ? `tomorrow, ${date}, at ${time}` : `${date} at ${time}`;
        expect(renderReminderText({ kind: '2h', clinic, startsAt, sendAt, zone })).toContain(expected);
        expect(renderReminderText({ kind: 'confirmation', clinic, startsAt, sendAt, zone })).toContain(`${date} at ${time}`);
      }),
      { numRuns: 3000 },
    );
  });
});
