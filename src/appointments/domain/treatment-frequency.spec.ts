import { dailyLimitGroup, sameDayRefusal, sevenDayRefusal, TreatmentVisit } from './treatment-frequency';
import type { AppointmentType } from './vocabulary';

let counter = 0;
function visit(type: AppointmentType, date: string, overrides: Partial<TreatmentVisit> = {}): TreatmentVisit {
  counter++;
  return {
    appointmentId: `a${counter}`,
    type,
    date,
    startsAt: new Date(`${date}T16:00:00Z`),
    courseId: null,
    sequence: null,
    accelerated: false,
    ...overrides,
  };
}

describe('treatment frequency', () => {
  describe('one a day', () => {
    it('refuses a second Spravato, ketamine or ECT treatment on one day, whichever the mix', () => {
      for (const [first, second] of [
        ['spravato', 'spravato'],
        ['spravato', 'ketamine'],
        ['ketamine', 'ect'],
        ['ect', 'spravato'],
      ] as Array<[AppointmentType, AppointmentType]>) {
        const sut = sameDayRefusal({ type: second, date: '2027-08-02', accelerated: false }, [visit(first, '2027-08-02')]);
        expect(sut).toMatchObject({ rule: 'treatment-frequency' });
        expect(sut!.appointmentIds).toHaveLength(1);
      }
    });

    it('allows them on different days, and a TMS session beside a Spravato one', () => {
      expect(sameDayRefusal({ type: 'spravato', date: '2027-08-03', accelerated: false }, [visit('spravato', '2027-08-02')])).toBeUndefined();
      expect(sameDayRefusal({ type: 'tms', date: '2027-08-02', accelerated: false }, [visit('spravato', '2027-08-02')])).toBeUndefined();
      expect(sameDayRefusal({ type: 'intake', date: '2027-08-02', accelerated: false }, [visit('spravato', '2027-08-02')])).toBeUndefined();
    });

    it('gives standard TMS once a day, accelerated TMS as often as its course says', () => {
      expect(sameDayRefusal({ type: 'tms', date: '2027-08-02', accelerated: false }, [visit('tms', '2027-08-02')])).toMatchObject({
        rule: 'treatment-frequency',
      });
      const accelerated = [visit('tms', '2027-08-02', { accelerated: true }), visit('tms', '2027-08-02', { accelerated: true })];
      expect(sameDayRefusal({ type: 'tms', date: '2027-08-02', accelerated: true }, accelerated)).toBeUndefined();
      // Accelerated sessions do not count towards the standard once-a-day limit.
      expect(sameDayRefusal({ type: 'tms', date: '2027-08-02', accelerated: false }, accelerated)).toBeUndefined();
    });

    it('groups the types as the unique index does', () => {
      expect(['spravato', 'ketamine', 'ect'].map((t) => dailyLimitGroup(t as AppointmentType, false))).toEqual(['treatment', 'treatment', 'treatment']);
      expect(dailyLimitGroup('tms', false)).toBe('tms');
      expect(dailyLimitGroup('tms', true)).toBeNull();
      expect(dailyLimitGroup('follow_up', false)).toBeNull();
    });
  });

  describe('Spravato twice in 7 days', () => {
    it('allows induction twice a week (Mon/Thu, Mon/Thu)', () => {
      const visits = [visit('spravato', '2027-08-02'), visit('spravato', '2027-08-05')];
      expect(sevenDayRefusal({ type: 'spravato', date: '2027-08-09', accelerated: false }, visits)).toBeUndefined();
    });

    it('refuses a third in any 7 consecutive days, before, between or after the others', () => {
      const visits = [visit('spravato', '2027-08-03'), visit('spravato', '2027-08-06')];
      for (const date of ['2027-07-31', '2027-08-04', '2027-08-09']) {
        const sut = sevenDayRefusal({ type: 'spravato', date, accelerated: false }, visits);
        expect(sut).toMatchObject({ rule: 'treatment-frequency' });
        expect(sut!.appointmentIds.sort()).toEqual(visits.map((v) => v.appointmentId).sort());
      }
      expect(sevenDayRefusal({ type: 'spravato', date: '2027-08-10', accelerated: false }, visits)).toBeUndefined();
      expect(sevenDayRefusal({ type: 'spravato', date: '2027-07-27', accelerated: false }, visits)).toBeUndefined();
    });

    it('counts only Spravato', () => {
      const visits = [visit('ketamine', '2027-08-03'), visit('ketamine', '2027-08-05'), visit('spravato', '2027-08-06')];
      expect(sevenDayRefusal({ type: 'spravato', date: '2027-08-09', accelerated: false }, visits)).toBeUndefined();
      expect(sevenDayRefusal({ type: 'ketamine', date: '2027-08-07', accelerated: false }, [...visits, visit('spravato', '2027-08-07')])).toBeUndefined();
    });
  });
});
