import { useTestApp } from './support/app';
import { at } from './support/clinic-time';
import { bookAppointment, createPatient, requestCourse, resourceIds } from './support/factories';

// After the demo roster's horizon, with a frozen clock: only what these tests add exists (TMS needs no staff).
const MONDAY = '2027-08-02';
const TUESDAY = '2027-08-03';
const NOW = '2027-07-01T12:00:00Z';

/**
 * Course planning reads only the band of each day its sessions can occupy (two hours either side of the
 * preferred time, plus the longest session: CoursePlanningService.sessionBand). What reaches into the band
 * from outside it still counts.
 */
describe('courses: planning reads the band of the day around the preferred time', () => {
  const t = useTestApp({ now: NOW });

  it('plans around a booking that starts before the band and ends inside it', async () => {
    const devices = await resourceIds(t.dataSource, 'aurora', 'tms_device');
    for (const resourceId of devices) {
      // 08:40–10:40 starts before the band of a 12:00 course (from 10:00) and ends in it; 11:00–14:00 fills the middle.
      for (const [time, durationMinutes] of [
        ['08:40', 120],
        ['11:00', 120],
        ['13:00', 60],
      ] as const) {
        await bookAppointment(t, { type: 'tms', locationId: t.locations.aurora, resourceId, startsAt: at(TUESDAY, time), durationMinutes });
      }
    }
    const patientId = await createPatient(t.dataSource);
    const answer = await requestCourse(t, {
      patientId,
      protocol: 'tms-standard',
      locationId: t.locations.aurora,
      startDate: MONDAY,
      preferredTime: '12:00',
      dryRun: true,
    }).expect(200);
    const tuesday = answer.body.sessions.find((s: { startsAt: string }) => s.startsAt.startsWith(TUESDAY));
    // 10:30 is the nearest start the 11:00 bookings leave, but the 08:40 ones hold every device until 10:40:
    // the first free start within two hours is 14:00.
    expect(tuesday).toMatchObject({ sequence: 2, startsAt: `${TUESDAY}T14:00:00-06:00` });
    expect(answer.body.warnings.join(' ')).toContain('Session 2 (induction): 14:00 instead of 12:00');
  });
});
