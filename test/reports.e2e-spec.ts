import { useTestApp } from './support/app';
import { addDays, at } from './support/clinic-time';
import { createPatient, createPatients, createStaff, resourceIds } from './support/factories';
import {
  insertAppointment,
  insertCourse,
  insertOptOut,
  insertOutcome,
  insertRemsForm,
  insertReplyAudit,
  insertText,
  insertWaitlistOffer,
} from './support/history';

/*
 * Each report on a small history whose answer is counted by hand. "Now" is Thursday 12 November 2026,
 * noon in Denver; the weeks reported are 2–8 and 9–15 November (the range ends on Friday the 13th).
 * Aurora holds the attendance and utilization history, Westminster the courses and REMS forms,
 * Louisville the texts and the two DST Sundays (8 March 2026: 23 hours; 1 November 2026: 25 hours).
 */
describe('Reports', () => {
  const t = useTestApp({ now: '2026-11-12T12:00:00-07:00' });
  const range = { from: '2026-11-02', to: '2026-11-13' };
  let chair1: string;
  let tms: string[];
  let louisvilleTms: string[];
  let provider: string;

  const report = (name: string, query: Record<string, string>, role: 'admin' | 'front_desk' = 'admin') =>
    t.http().get(`/api/reports/${name}`).query(query).set(t.headers[role]);

  beforeAll(async () => {
    const ds = t.dataSource;
    [chair1] = await resourceIds(ds, 'aurora', 'treatment_chair');
    tms = await resourceIds(ds, 'aurora', 'tms_device');
    louisvilleTms = await resourceIds(ds, 'louisville', 'tms_device');
    provider = await createStaff(ds, 'provider', 'westminster');
    const aurora = t.locations.aurora;
    const [p1, p2, p3, p4, p5, p6] = await createPatients(ds, 6);
    const spravato = (patientId: string, date: string, status: any, cancelledAt?: string) =>
      insertAppointment(ds, {
        patientId,
        locationId: aurora,
        type: 'spravato',
        status,
        cancelledAt,
        segments: [{ resourceId: chair1, startsAt: at(date, '09:00'), endsAt: at(date, '11:30') }],
      });
    const tmsSession = (patientId: string, device: string, date: string, time: string, end: string, status: any) =>
      insertAppointment(ds, {
        patientId,
        locationId: aurora,
        type: 'tms',
        status,
        segments: [{ resourceId: device, startsAt: at(date, time), endsAt: at(date, end) }],
      });

    // Aurora, week of 2 November.
    await spravato(p1, '2026-11-02', 'discharged');
    await spravato(p2, '2026-11-03', 'no_show');
    await spravato(p3, '2026-11-04', 'cancelled', at('2026-11-03', '12:00')); // 21 hours ahead: late
    await spravato(p4, '2026-11-05', 'cancelled', at('2026-10-30', '12:00')); // days ahead
    await tmsSession(p1, tms[0], '2026-11-02', '17:30', '18:00', 'discharged'); // 00:30 UTC on the 3rd, the 2nd in Denver
    await tmsSession(p5, tms[0], '2026-11-06', '10:00', '10:30', 'discharged');
    await tmsSession(p6, tms[1], '2026-11-02', '18:45', '19:15', 'no_show'); // past closing: 15 minutes count
    // Aurora, week of 9 November.
    await spravato(p1, '2026-11-10', 'discharged');
    await spravato(p2, '2026-11-13', 'scheduled');
    await tmsSession(p3, tms[0], '2026-11-09', '10:00', '10:30', 'no_show');
    // Outside the range.
    await spravato(p5, '2026-10-30', 'discharged');
    await spravato(p6, '2026-11-16', 'scheduled');
    // Thursday 5 November: Aurora closed.
    await ds.query(`INSERT INTO closures (location_id, date, reason) VALUES ($1, '2026-11-05', 'Staff training')`, [aurora]);
  });

  describe('utilization', () => {
    it('counts open minutes of open days, minutes held by appointments not cancelled, and minutes attended, per resource', async () => {
      const response = await report('utilization', { locationId: t.locations.aurora, from: '2026-11-02', to: '2026-11-06' }).expect(200);
      expect(response.body).toMatchObject({ report: 'utilization', from: '2026-11-02', to: '2026-11-06', groupBy: null, locationIds: [t.locations.aurora] });
      // 6 chairs, 3 TMS devices, the ECT suite and 2 recovery bays; four open days of 12 hours (the 5th is closed).
      expect(response.body.rows).toHaveLength(12);
      const byResource = new Map<string, any>(response.body.rows.map((row: any) => [row.resourceId, row]));
      expect(byResource.get(chair1)).toEqual({
        locationId: t.locations.aurora,
        periodStart: '2026-11-02',
        periodEnd: '2026-11-06',
        kind: 'treatment_chair',
        resourceId: chair1,
        resourceName: 'Chair 1',
        openMinutes: 4 * 720,
        bookedMinutes: 300, // the 2nd (attended) and the 3rd (no-show); cancellations free the chair
        usedMinutes: 150,
        utilization: 0.1042,
        usedUtilization: 0.0521,
      });
      expect(byResource.get(tms[0])).toMatchObject({ openMinutes: 2880, bookedMinutes: 60, usedMinutes: 60, utilization: 0.0208 });
      expect(byResource.get(tms[1])).toMatchObject({ openMinutes: 2880, bookedMinutes: 15, usedMinutes: 0, utilization: 0.0052, usedUtilization: 0 });
      const idle = response.body.rows.filter((row: any) => row.bookedMinutes === 0);
      expect(idle).toHaveLength(9);
      expect(idle.every((row: any) => row.openMinutes === 2880 && row.utilization === 0)).toBe(true);
    });

    it('groups by local day: the closed day has no rows, and a 17:30 session counts on its Denver date', async () => {
      const response = await report('utilization', { locationId: t.locations.aurora, from: '2026-11-02', to: '2026-11-06', groupBy: 'day' }).expect(200);
      const days = [...new Set(response.body.rows.map((row: any) => row.periodStart))];
      expect(days).toEqual(['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-06']);
      const tms1 = response.body.rows.filter((row: any) => row.resourceId === tms[0]);
      expect(tms1.map((row: any) => [row.periodStart, row.periodEnd, row.bookedMinutes])).toEqual([
        ['2026-11-02', '2026-11-02', 30],
        ['2026-11-03', '2026-11-03', 0],
        ['2026-11-04', '2026-11-04', 0],
        ['2026-11-06', '2026-11-06', 30],
      ]);
    });

    it('draws the weekday × hour heatmap per resource kind', async () => {
      const response = await report('utilization', { locationId: t.locations.aurora, from: '2026-11-02', to: '2026-11-06' }).expect(200);
      const cell = (kind: string, weekday: number, hour: number) =>
        response.body.heatmap.find((c: any) => c.kind === kind && c.weekday === weekday && c.hour === hour);
      // Four kinds, four open weekdays (Thursday closed), 07:00–19:00.
      expect(response.body.heatmap).toHaveLength(4 * 4 * 12);
      expect(cell('treatment_chair', 1, 9)).toEqual({
        locationId: t.locations.aurora,
        kind: 'treatment_chair',
        weekday: 1,
        hour: 9,
        openMinutes: 6 * 60,
        bookedMinutes: 60,
        usedMinutes: 60,
        utilization: 0.1667,
      });
      expect(cell('treatment_chair', 2, 11)).toMatchObject({ openMinutes: 360, bookedMinutes: 30, usedMinutes: 0 });
      expect(cell('tms_device', 1, 18)).toMatchObject({ openMinutes: 180, bookedMinutes: 15, usedMinutes: 0 });
      expect(cell('tms_device', 1, 17)).toMatchObject({ bookedMinutes: 30, usedMinutes: 30 });
      expect(cell('treatment_chair', 4, 9)).toBeUndefined();
    });

    describe('across daylight-saving changes (Louisville open Sundays 01:00–03:00)', () => {
      beforeAll(async () => {
        await t
          .http()
          .put(`/api/locations/${t.locations.louisville}/hours`)
          .set(t.headers.admin)
          .send([...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '07:00', closes: '19:00' })), { weekday: 7, opens: '01:00', closes: '03:00' }])
          .expect(200);
        const patient = await createPatient(t.dataSource);
        const other = await createPatient(t.dataSource);
        const session = (patientId: string, device: string, startsAt: string, endsAt: string, status: any) =>
          insertAppointment(t.dataSource, {
            patientId,
            locationId: t.locations.louisville,
            type: 'tms',
            status,
            segments: [{ resourceId: device, startsAt, endsAt }],
          });
        // 1 November: 01:30 happens twice, first in MDT (07:30 UTC), then in MST (08:30 UTC).
        await session(patient, louisvilleTms[0], '2026-11-01T01:30:00-06:00', '2026-11-01T02:00:00-06:00', 'discharged');
        await session(other, louisvilleTms[0], '2026-11-01T01:30:00-07:00', '2026-11-01T02:00:00-07:00', 'no_show');
        await session(patient, louisvilleTms[0], '2026-11-01T02:00:00-07:00', '2026-11-01T02:30:00-07:00', 'cancelled');
        // 8 March: 01:00 MST to 03:00 MDT is one hour.
        await session(patient, louisvilleTms[1], '2026-03-08T01:00:00-07:00', '2026-03-08T01:30:00-07:00', 'discharged');
      });

      it('counts the 25-hour day’s 01:00–03:00 as 180 minutes', async () => {
        const response = await report('utilization', { locationId: t.locations.louisville, from: '2026-11-01', to: '2026-11-01' }).expect(200);
        const device = response.body.rows.find((row: any) => row.resourceId === louisvilleTms[0]);
        expect(device).toMatchObject({ openMinutes: 180, bookedMinutes: 60, usedMinutes: 30, utilization: 0.3333, usedUtilization: 0.1667 });
        const hours = response.body.heatmap.filter((c: any) => c.kind === 'tms_device');
        // The hour from 01:00 is lived twice (two devices × 2 × 60 minutes), the hour from 02:00 once.
        expect(hours).toEqual([
          expect.objectContaining({ weekday: 7, hour: 1, openMinutes: 240, bookedMinutes: 60, usedMinutes: 30 }),
          expect.objectContaining({ weekday: 7, hour: 2, openMinutes: 120, bookedMinutes: 0 }),
        ]);
      });

      it('counts the 23-hour day’s 01:00–03:00 as 60 minutes', async () => {
        const response = await report('utilization', { locationId: t.locations.louisville, from: '2026-03-08', to: '2026-03-08' }).expect(200);
        const device = response.body.rows.find((row: any) => row.resourceId === louisvilleTms[1]);
        expect(device).toMatchObject({ openMinutes: 60, bookedMinutes: 30, usedMinutes: 30, utilization: 0.5 });
        expect(response.body.rows.filter((row: any) => row.openMinutes === 60)).toHaveLength(6);
        expect(response.body.heatmap.filter((c: any) => c.kind === 'tms_device')).toEqual([
          expect.objectContaining({ weekday: 7, hour: 1, openMinutes: 120, bookedMinutes: 30 }),
        ]);
      });
    });
  });

  describe('attendance', () => {
    it('counts each type by outcome over the range, with rates over the appointments whose outcome is known', async () => {
      const response = await report('attendance', { locationId: t.locations.aurora, ...range }).expect(200);
      expect(response.body.rows).toEqual([
        {
          locationId: t.locations.aurora,
          periodStart: '2026-11-02',
          periodEnd: '2026-11-13',
          type: 'spravato',
          booked: 6,
          completed: 2,
          cancelled: 2,
          lateCancelled: 1,
          noShow: 1,
          pending: 1,
          completionRate: 0.4,
          cancellationRate: 0.4,
          lateCancellationRate: 0.2,
          noShowRate: 0.2,
        },
        {
          locationId: t.locations.aurora,
          periodStart: '2026-11-02',
          periodEnd: '2026-11-13',
          type: 'tms',
          booked: 4,
          completed: 2,
          cancelled: 0,
          lateCancelled: 0,
          noShow: 2,
          pending: 0,
          completionRate: 0.5,
          cancellationRate: 0,
          lateCancellationRate: 0,
          noShowRate: 0.5,
        },
      ]);
    });

    it('groups by ISO week, the last one cut at the range’s end', async () => {
      const response = await report('attendance', { locationId: t.locations.aurora, ...range, groupBy: 'week' }).expect(200);
      const rows = response.body.rows.map((row: any) => [row.periodStart, row.periodEnd, row.type, row.booked, row.noShow, row.lateCancelled, row.pending]);
      expect(rows).toEqual([
        ['2026-11-02', '2026-11-08', 'spravato', 4, 1, 1, 0],
        ['2026-11-02', '2026-11-08', 'tms', 3, 1, 0, 0],
        ['2026-11-09', '2026-11-13', 'spravato', 2, 0, 0, 1],
        ['2026-11-09', '2026-11-13', 'tms', 1, 1, 0, 0],
      ]);
      expect(response.body.rows[2]).toMatchObject({ completed: 1, completionRate: 1, noShowRate: 0 });
    });

    it('puts a 17:30 session on its Denver date, not the UTC one', async () => {
      const response = await report('attendance', { locationId: t.locations.aurora, from: '2026-11-02', to: '2026-11-03', groupBy: 'day' }).expect(200);
      expect(response.body.rows.map((row: any) => [row.periodStart, row.type, row.booked])).toEqual([
        ['2026-11-02', 'spravato', 1],
        ['2026-11-02', 'tms', 2],
        ['2026-11-03', 'spravato', 1],
      ]);
    });

    it('answers CSV: a header line and one line per row', async () => {
      const response = await report('attendance', { locationId: t.locations.aurora, ...range, groupBy: 'week', format: 'csv' }).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toBe('attachment; filename="attendance-2026-11-02-2026-11-13.csv"');
      const lines = response.text.split('\r\n');
      expect(lines).toHaveLength(6);
      expect(lines[0]).toBe(
        'locationId,periodStart,periodEnd,type,booked,completed,cancelled,lateCancelled,noShow,pending,completionRate,cancellationRate,lateCancellationRate,noShowRate',
      );
      expect(lines[1]).toBe(`${t.locations.aurora},2026-11-02,2026-11-08,spravato,4,1,2,1,1,0,0.25,0.5,0.25,0.25`);
      expect(lines[5]).toBe('');
    });
  });

  describe('courses', () => {
    beforeAll(async () => {
      const ds = t.dataSource;
      const westminster = t.locations.westminster;
      const [device] = await resourceIds(ds, 'westminster', 'tms_device');
      const [chair] = await resourceIds(ds, 'westminster', 'treatment_chair');
      const [a, b, c, d] = await createPatients(ds, 4);
      const session = (patientId: string, courseId: string, type: 'tms' | 'spravato', date: string, status: any) =>
        insertAppointment(ds, {
          patientId,
          locationId: westminster,
          type,
          status,
          courseId,
          segments: [
            {
              resourceId: type === 'tms' ? device : chair,
              startsAt: at(date, type === 'tms' ? '10:00' : '12:00'),
              endsAt: at(date, type === 'tms' ? '10:30' : '14:30'),
            },
          ],
        });
      const courseA = await insertCourse(ds, {
        patientId: a,
        locationId: westminster,
        protocol: 'tms-standard',
        treatment: 'tms',
        startDate: '2026-11-02',
        status: 'active',
      });
      for (const date of ['2026-11-02', '2026-11-03', '2026-11-04']) await session(a, courseA, 'tms', date, 'discharged');
      await session(a, courseA, 'tms', '2026-11-05', 'no_show');
      await session(a, courseA, 'tms', '2026-11-13', 'scheduled');
      const courseB = await insertCourse(ds, {
        patientId: b,
        locationId: westminster,
        protocol: 'spravato-trd',
        treatment: 'spravato',
        startDate: '2026-11-03',
        status: 'cancelled',
      });
      await session(b, courseB, 'spravato', '2026-11-03', 'discharged');
      const courseC = await insertCourse(ds, {
        patientId: c,
        locationId: westminster,
        protocol: 'tms-standard',
        treatment: 'tms',
        startDate: '2026-11-09',
        status: 'completed',
      });
      await session(c, courseC, 'tms', '2026-11-09', 'discharged');
      await session(c, courseC, 'tms', '2026-11-10', 'discharged');
      // Course A is judged on MADRS (clinician-rated, preferred over its PHQ-9): 30 → 12, response and
      // remission. Course C has PHQ-9 only: 20 → 9, response, no remission (≤ 4). Course B has one score.
      await insertOutcome(ds, { courseId: courseA, scale: 'phq9', score: 20, takenOn: '2026-10-30' });
      await insertOutcome(ds, { courseId: courseA, scale: 'phq9', score: 19, takenOn: '2026-11-10' });
      await insertOutcome(ds, { courseId: courseA, scale: 'madrs', score: 30, takenOn: '2026-10-30' });
      await insertOutcome(ds, { courseId: courseA, scale: 'madrs', score: 12, takenOn: '2026-11-10' });
      await insertOutcome(ds, { courseId: courseC, scale: 'phq9', score: 20, takenOn: '2026-11-06' });
      await insertOutcome(ds, { courseId: courseC, scale: 'phq9', score: 9, takenOn: '2026-11-12' });
      await insertOutcome(ds, { courseId: courseB, scale: 'madrs', score: 28, takenOn: '2026-11-02' });
      // Started before the range: not in this cohort.
      const courseD = await insertCourse(ds, {
        patientId: d,
        locationId: westminster,
        protocol: 'tms-standard',
        treatment: 'tms',
        startDate: '2026-10-26',
        status: 'active',
      });
      await session(d, courseD, 'tms', '2026-11-06', 'discharged');
    });

    it('follows the courses started in the range: completed, stopped, sessions per course, response and remission', async () => {
      const response = await report('courses', { locationId: t.locations.westminster, ...range }).expect(200);
      expect(response.body.rows).toEqual([
        expect.objectContaining({
          protocol: 'spravato-trd',
          treatment: 'spravato',
          started: 1,
          completed: 0,
          stopped: 1,
          active: 0,
          sessionsCompleted: 1,
          sessionsCompletedPerCourse: 1,
          withOutcomes: 0,
          responseRate: null,
          remissionRate: null,
        }),
        expect.objectContaining({
          protocol: 'tms-standard',
          treatment: 'tms',
          started: 2,
          completed: 1,
          stopped: 0,
          active: 1,
          sessionsCompleted: 5,
          sessionsCompletedPerCourse: 2.5,
          withOutcomes: 2,
          responded: 2,
          remitted: 1,
          responseRate: 1,
          remissionRate: 0.5,
        }),
      ]);
    });
    it('groups the cohort by the week each course started', async () => {
      const response = await report('courses', { locationId: t.locations.westminster, ...range, groupBy: 'week' }).expect(200);
      expect(response.body.rows.map((row: any) => [row.periodStart, row.protocol, row.started, row.sessionsCompleted])).toEqual([
        ['2026-11-02', 'spravato-trd', 1, 1],
        ['2026-11-02', 'tms-standard', 1, 3],
        ['2026-11-09', 'tms-standard', 1, 2],
      ]);
    });
  });

  describe('rems', () => {
    beforeAll(async () => {
      const ds = t.dataSource;
      const [chair] = await resourceIds(ds, 'westminster', 'treatment_chair');
      const patients = await createPatients(ds, 5);
      const form = async (i: number, dosedOn: string, submittedAt?: string) => {
        const appointmentId = await insertAppointment(ds, {
          patientId: patients[i],
          locationId: t.locations.westminster,
          type: 'spravato',
          status: 'discharged',
          segments: [{ resourceId: chair, startsAt: at(dosedOn, '15:00'), endsAt: at(dosedOn, '17:30') }],
        });
        const dueAt = at(addDays(dosedOn, 7), '15:15');
        await insertRemsForm(ds, { appointmentId, dueAt, submittedAt, submittedBy: provider });
      };
      await form(0, '2026-10-27', at('2026-10-30', '10:00')); // due 3 Nov, on time; dosed before the range
      await form(1, '2026-10-28', at('2026-11-05', '09:00')); // due 4 Nov, a day late
      await form(2, '2026-11-03'); // due 10 Nov: overdue now
      await form(3, '2026-11-06'); // due 13 Nov: not yet
      await form(4, '2026-11-13'); // due 20 Nov: outside the range
    });

    it('counts forms falling due by how they were handled, and overdue as of now', async () => {
      const response = await report('rems', { locationId: t.locations.westminster, ...range }).expect(200);
      expect(response.body.rows).toEqual([
        {
          locationId: t.locations.westminster,
          periodStart: '2026-11-02',
          periodEnd: '2026-11-13',
          due: 4,
          submittedOnTime: 1,
          submittedLate: 1,
          overdueNow: 1,
          notYetDue: 1,
          onTimeRate: 0.3333,
        },
      ]);
      const weekly = await report('rems', { locationId: t.locations.westminster, ...range, groupBy: 'week' }).expect(200);
      expect(
        weekly.body.rows.map((row: any) => [row.periodStart, row.due, row.submittedOnTime, row.submittedLate, row.overdueNow, row.notYetDue, row.onTimeRate]),
      ).toEqual([
        ['2026-11-02', 2, 1, 1, 0, 0, 0.5],
        ['2026-11-09', 2, 0, 0, 1, 1, 0],
      ]);
    });
  });

  describe('texts', () => {
    beforeAll(async () => {
      const ds = t.dataSource;
      const louisville = t.locations.louisville;
      const [device] = louisvilleTms;
      const [p1, p2, p3] = await createPatients(ds, 3);
      const appointment = (patientId: string, date: string, status: any) =>
        insertAppointment(ds, {
          patientId,
          locationId: louisville,
          type: 'tms',
          status,
          segments: [{ resourceId: device, startsAt: at(date, '10:00'), endsAt: at(date, '10:30') }],
        });
      const a1 = await appointment(p1, '2026-11-04', 'discharged');
      await insertText(ds, { appointmentId: a1, patientId: p1, kind: 'confirmation', sendAt: at('2026-11-02', '09:00'), status: 'sent' });
      await insertText(ds, { appointmentId: a1, patientId: p1, kind: '48h', sendAt: at('2026-11-02', '10:00'), status: 'sent' });
      await insertText(ds, { appointmentId: a1, patientId: p1, kind: '2h', sendAt: at('2026-11-04', '08:00'), status: 'failed' });
      const a2 = await appointment(p2, '2026-11-06', 'discharged');
      await insertText(ds, { appointmentId: a2, patientId: p2, kind: '48h', sendAt: at('2026-11-04', '10:00'), status: 'suppressed' });
      const a3 = await appointment(p3, '2026-11-12', 'cancelled');
      await insertText(ds, { appointmentId: a3, patientId: p3, kind: '48h', sendAt: at('2026-11-10', '10:00'), status: 'cancelled' });
      await insertText(ds, { appointmentId: a3, patientId: p3, kind: '2h', sendAt: at('2026-11-12', '08:00'), status: 'pending' });
      await insertText(ds, { appointmentId: a3, patientId: p3, kind: 'confirmation', sendAt: at('2026-10-30', '08:00'), status: 'sent' });
      // Replies: a1 confirmed by text on the 2nd; a move asked for a3 on the 10th.
      await insertReplyAudit(ds, { appointmentId: a1, action: 'appointment.confirm', at: at('2026-11-02', '11:00') });
      await insertReplyAudit(ds, { appointmentId: a3, action: 'appointment.reschedule-request', at: at('2026-11-10', '11:00') });
      // Waitlist: a slot freed on the 3rd offered to two patients in turn (declined, then accepted), another
      // slot on the 10th offered and expired: 3 offers, 1 accepted, 2 slots, 1 filled.
      const slot = { locationId: louisville, resourceId: device };
      await insertWaitlistOffer(ds, { ...slot, patientId: p2, startsAt: at('2026-11-05', '14:00'), offeredAt: at('2026-11-03', '09:00'), status: 'declined' });
      await insertWaitlistOffer(ds, { ...slot, patientId: p3, startsAt: at('2026-11-05', '14:00'), offeredAt: at('2026-11-03', '09:10'), status: 'accepted' });
      await insertWaitlistOffer(ds, { ...slot, patientId: p2, startsAt: at('2026-11-12', '14:00'), offeredAt: at('2026-11-10', '09:00'), status: 'expired' });
      // STOP after a Louisville text; STOP from a Louisville patient never texted; STOP from an Aurora patient.
      await insertOptOut(ds, p1, at('2026-11-05', '12:00'));
      const quiet = await createPatient(ds);
      await ds.query('UPDATE patients SET preferred_location_id = $2 WHERE id = $1', [quiet, louisville]);
      await insertOptOut(ds, quiet, at('2026-11-10', '09:00'));
      const elsewhere = await createPatient(ds);
      await ds.query('UPDATE patients SET preferred_location_id = $2 WHERE id = $1', [elsewhere, t.locations.aurora]);
      await insertOptOut(ds, elsewhere, at('2026-11-10', '09:30'));
    });

    it('counts texts planned in the range by outcome and the clinic’s opt-outs', async () => {
      const response = await report('texts', { locationId: t.locations.louisville, ...range }).expect(200);
      expect(response.body.rows).toEqual([
        {
          locationId: t.locations.louisville,
          periodStart: '2026-11-02',
          periodEnd: '2026-11-13',
          sent: 2,
          failed: 1,
          suppressed: 1,
          cancelled: 1,
          pending: 1,
          optOuts: 2,
          confirmationsByReply: 1,
          rescheduleRequestsByReply: 1,
          waitlistOffers: 3,
          waitlistAccepted: 1,
          waitlistSlotsOffered: 2,
          waitlistSlotsFilled: 1,
          waitlistFillRate: 0.5,
        },
      ]);
      const weekly = await report('texts', { locationId: t.locations.louisville, ...range, groupBy: 'week' }).expect(200);
      expect(
        weekly.body.rows.map((row: any) => [
          row.periodStart,
          row.sent,
          row.failed,
          row.suppressed,
          row.cancelled,
          row.pending,
          row.optOuts,
          row.confirmationsByReply,
          row.rescheduleRequestsByReply,
          row.waitlistOffers,
          row.waitlistFillRate,
        ]),
      ).toEqual([
        ['2026-11-02', 2, 1, 1, 0, 0, 1, 1, 0, 2, 1],
        ['2026-11-09', 0, 0, 0, 1, 1, 1, 0, 1, 1, 0],
      ]);
      const aurora = await report('texts', { locationId: t.locations.aurora, ...range }).expect(200);
      expect(aurora.body.rows).toEqual([expect.objectContaining({ sent: 0, optOuts: 1 })]);
    });
  });

  describe('who may read them', () => {
    it('lets an admin read every clinic at once, one row set per clinic', async () => {
      const response = await report('attendance', range).expect(200);
      expect(response.body.locationIds).toHaveLength(3);
      expect(new Set(response.body.rows.map((row: any) => row.locationId))).toEqual(
        new Set([t.locations.aurora, t.locations.westminster, t.locations.louisville]),
      );
    });

    it('keeps front desk to their own clinics: another clinic is a 403, no clinic means theirs', async () => {
      const email = `desk-aurora-${Date.now()}@clinic.example`;
      await t
        .http()
        .post('/api/staff')
        .set(t.headers.admin)
        .send({ name: 'Aurora Desk', email, role: 'front_desk', password: 'Quartz-Lantern-7-Harbor', locationIds: [t.locations.aurora] })
        .expect(201);
      const login = await t.http().post('/api/auth/login').send({ email, password: 'Quartz-Lantern-7-Harbor' }).expect(200);
      const desk = { Authorization: `Bearer ${login.body.accessToken}` };
      const refused = await t
        .http()
        .get('/api/reports/attendance')
        .query({ ...range, locationId: t.locations.louisville })
        .set(desk)
        .expect(403);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      const own = await t.http().get('/api/reports/attendance').query(range).set(desk).expect(200);
      expect(own.body.locationIds).toEqual([t.locations.aurora]);
      expect(own.body.rows.length).toBeGreaterThan(0);
      expect(own.body.rows.every((row: any) => row.locationId === t.locations.aurora)).toBe(true);
    });

    it('refuses nurses and providers, and callers without a token', async () => {
      await t.http().get('/api/reports/rems').query(range).set(t.headers.nurse).expect(403);
      await t.http().get('/api/reports/rems').query(range).set(t.headers.provider).expect(403);
      await t.http().get('/api/reports/rems').query(range).expect(401);
    });

    it('records each read in the audit log, with what was asked', async () => {
      await report('texts', { locationId: t.locations.louisville, ...range, format: 'csv' }).expect(200);
      const [entry] = await t.dataSource.query(`SELECT entity_id, details FROM audit_log WHERE action = 'report.read' ORDER BY id DESC LIMIT 1`);
      expect(entry).toEqual({
        entity_id: 'texts',
        details: { locationIds: [t.locations.louisville], from: '2026-11-02', to: '2026-11-13', groupBy: null, format: 'csv' },
      });
    });
  });

  describe('bad requests', () => {
    it.each([
      [{ from: '2026-11-13', to: '2026-11-02' }, 'to'],
      [{ from: '2026-01-01', to: '2027-01-02' }, 'to'],
      [{ from: '2026-02-30', to: '2026-03-02' }, 'from'],
      [{ from: '2026-11-02' }, 'to'],
      [{ ...{ from: '2026-11-02', to: '2026-11-13' }, groupBy: 'month' }, 'groupBy'],
      [{ ...{ from: '2026-11-02', to: '2026-11-13' }, format: 'xlsx' }, 'format'],
      [{ ...{ from: '2026-11-02', to: '2026-11-13' }, locationId: 'aurora' }, 'locationId'],
    ])('refuses %j naming %s', async (query, field) => {
      const response = await report('utilization', query as Record<string, string>).expect(400);
      expect(response.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('answers 404 for an unknown clinic or report', async () => {
      await report('attendance', { ...range, locationId: '00000000-0000-4000-8000-000000000000' }).expect(404);
      await report('revenue', range).expect(404);
    });
  });
});
