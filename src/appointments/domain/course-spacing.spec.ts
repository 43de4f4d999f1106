import { PROTOCOLS } from '../../courses/domain/protocols';
import { courseSpacingRefusal } from './course-spacing';
import type { TreatmentVisit } from './treatment-frequency';

const session = (sequence: number, date: string, time = '16:00', courseId = 'c1'): TreatmentVisit => ({
  appointmentId: `s${sequence}`,
  type: 'ketamine',
  date,
  startsAt: new Date(`${date}T${time}:00Z`),
  courseId,
  sequence,
  accelerated: false,
});

describe('courseSpacingRefusal', () => {
  const ketamine = { id: 'c1', protocol: PROTOCOLS['ketamine-iv'], sequence: 3, options: {} };

  it('refuses a ketamine infusion on the day next to another of its course', () => {
    const sut = courseSpacingRefusal(ketamine, { date: '2027-08-05', startsAt: new Date('2027-08-05T16:00:00Z') }, [
      session(2, '2027-08-04'),
      session(4, '2027-08-09'),
    ]);
    expect(sut).toMatchObject({ rule: 'course-spacing', appointmentIds: ['s2'] });
  });

  it('accepts two days apart, and ignores other courses and other patients', () => {
    const visits = [session(2, '2027-08-04'), session(1, '2027-08-05', '16:00', 'other-course')];
    expect(courseSpacingRefusal(ketamine, { date: '2027-08-06', startsAt: new Date('2027-08-06T16:00:00Z') }, visits)).toBeUndefined();
  });

  it('holds for a session added by hand (no sequence)', () => {
    const sut = courseSpacingRefusal({ ...ketamine, sequence: null }, { date: '2027-08-05', startsAt: new Date('2027-08-05T16:00:00Z') }, [
      session(2, '2027-08-04'),
    ]);
    expect(sut?.rule).toBe('course-spacing');
  });

  it('keeps the starts of an accelerated TMS day at least 60 minutes apart', () => {
    const accelerated = { id: 'c1', protocol: PROTOCOLS['tms-accelerated'], sequence: 3, options: {} };
    const visits = [session(2, '2027-08-02', '16:00')];
    expect(courseSpacingRefusal(accelerated, { date: '2027-08-02', startsAt: new Date('2027-08-02T16:45:00Z') }, visits)?.rule).toBe('course-spacing');
    expect(courseSpacingRefusal(accelerated, { date: '2027-08-02', startsAt: new Date('2027-08-02T17:00:00Z') }, visits)).toBeUndefined();
  });
});
