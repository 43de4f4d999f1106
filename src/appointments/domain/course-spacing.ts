/** A course's spacing rules hold for every booking in it, not only for the planner's. Pure. */
import { daysBetween } from '../../common/clinic-time';
import { type CourseOptions, type ProtocolDefinition, requiredGapDays, sessionSpacing } from '../../courses/domain/protocols';
import type { TreatmentVisit } from './treatment-frequency';

/** The course a booking belongs to. */
export interface CourseSlot {
  id: string;
  protocol: ProtocolDefinition;
  /** Null for a session added to the course by hand. */
  sequence: number | null;
  options: CourseOptions;
}

/**
 * Why a session may not go on `date` at `startsAt`: another session of the same course is nearer than the
 * protocol allows (ketamine, Spravato and ECT never on consecutive days, TMS once a day, an accelerated
 * TMS day's starts at least 60 minutes apart). Undefined when the spacing holds.
 */
export function courseSpacingRefusal(
  course: CourseSlot,
  candidate: { date: string; startsAt: Date },
  visits: readonly TreatmentVisit[],
): { rule: 'course-spacing'; detail: string; appointmentIds: string[] } | undefined {
  const siblings = visits.filter((v) => v.courseId === course.id);
  const spacing = sessionSpacing(course.protocol, course.sequence, course.options);
  if (spacing.kind === 'minutes') {
    const near = siblings.filter((v) => Math.abs(v.startsAt.getTime() - candidate.startsAt.getTime()) < spacing.minStartGapMinutes * 60_000);
    if (!near.length) return undefined;
    return {
      rule: 'course-spacing',
      detail: `Sessions of this course start at least ${spacing.minStartGapMinutes} minutes apart; session ${near[0].sequence ?? ''} is nearer.`,
      appointmentIds: near.map((v) => v.appointmentId),
    };
  }
  for (const sibling of siblings) {
    const gap = requiredGapDays(course.protocol, course.sequence, sibling.sequence, course.options);
    const apart = Math.abs(daysBetween(sibling.date, candidate.date));
    if (apart < gap) {
      return {
        rule: 'course-spacing',
        detail:
          `Session ${sibling.sequence ?? ''} of this course is on ${sibling.date}: ${course.protocol.name} sessions are at least ` +
          `${gap} day${gap === 1 ? '' : 's'} apart.`,
        appointmentIds: [sibling.appointmentId],
      };
    }
  }
  return undefined;
}
