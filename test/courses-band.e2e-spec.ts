import { HoldService } from '../src/appointments/hold.service';
import { SYSTEM_ACTOR } from '../src/common/actor';
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

  const dryRun = async (patientId: string) =>
    (
      await requestCourse(t, {
        patientId,
        protocol: 'tms-standard',
        locationId: t.locations.aurora,
        startDate: MONDAY,
        preferredTime: '12:00',
        dryRun: true,
      }).expect(200)
    ).body;
  const sessionOn = (course: { sessions: Array<{ startsAt: string }> }, date: string) => course.sessions.find((s) => s.startsAt.startsWith(date));

  // The 11:00 and 13:00 bookings are back to back: the planner reads them as one busy interval per device (11:00–14:00).
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
    const tuesday = sessionOn(await dryRun(await createPatient(t.dataSource)), TUESDAY);
    // 10:30 is the nearest start the 11:00 bookings leave, but the 08:40 ones hold every device until 10:40:
    // the first free start within two hours is 14:00.
    expect(tuesday).toMatchObject({ sequence: 2, startsAt: `${TUESDAY}T14:00:00-06:00` });
  });

  it('plans around a hold while it runs and through it once it has expired', async () => {
    const WEDNESDAY = '2027-08-04';
    const devices = await resourceIds(t.dataSource, 'aurora', 'tms_device');
    for (const resourceId of devices) {
      const holder = await createPatient(t.dataSource);
      await t.dataSource.transaction((manager) =>
        t.app
          .get(HoldService)
          .holdForBooking(
            manager,
            { patientId: holder, type: 'tms', locationId: t.locations.aurora, startsAt: new Date(at(WEDNESDAY, '12:00')), resourceId },
            { ttlMinutes: 15, reason: 'test' },
            SYSTEM_ACTOR,
          ),
      );
    }
    const patientId = await createPatient(t.dataSource);
    expect(sessionOn(await dryRun(patientId), WEDNESDAY)).toMatchObject({ sequence: 3, startsAt: `${WEDNESDAY}T11:30:00-06:00` });
    t.clock.advanceMinutes(15);
    try {
      expect(sessionOn(await dryRun(patientId), WEDNESDAY)).toMatchObject({ sequence: 3, startsAt: `${WEDNESDAY}T12:00:00-06:00` });
    } finally {
      t.clock.set(NOW);
    }
  });
});
