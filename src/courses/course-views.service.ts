import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, clinicScope } from '../common/actor';
import { CLINIC_ZONE } from '../common/clinic-time';
import { NotFound } from '../common/problems';
import { LocationEntity } from '../locations/location.entity';
import { PatientsService } from '../patients/patients.service';
import { MotorThresholds } from '../sessions/motor-thresholds.service';
import { CourseFlagEntity } from './course-flag.entity';
import { CourseOutcomeEntity } from './course-outcome.entity';
import { CourseEntity } from './course.entity';
import { CoursesRepository } from './courses.repository';
import { MOTOR_THRESHOLD_INTERVAL_DAYS, motorThresholdDueAt } from './domain/motor-threshold';
import { summarizeOutcomes } from './domain/outcomes';
import { PROTOCOLS } from './domain/protocols';
import { CourseDraft, CourseResponse, CourseSessionRow, toCourseResponse } from './dto/course.dto';

/** A course as the API shows it: its sessions, flags, outcome summary and (TMS) when the motor threshold is next due. */
@Injectable()
export class CourseViews {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly patients: PatientsService,
    private readonly thresholds: MotorThresholds,
    private readonly audit: AuditTrail,
  ) {}

  async get(id: string, actor: Actor): Promise<CourseResponse> {
    const course = await this.courses.findById(id);
    if (!course) throw new NotFound('Course', id);
    await this.audit.record(undefined, actor, 'course.read', 'course', id, { patientId: course.patientId });
    const [view] = await this.many([course]);
    return view;
  }

  async listForPatient(patientId: string, actor: Actor): Promise<CourseResponse[]> {
    await this.patients.findOrFail(patientId);
    // The patient's courses at the actor's clinics (the guard has checked the patient is theirs to see).
    const scope = clinicScope(actor);
    const courses = (await this.courses.findByPatient(patientId)).filter((course) => !scope || scope.includes(course.locationId));
    await this.audit.record(undefined, actor, 'patient.courses.read', 'patient', patientId, { count: courses.length });
    return this.many(courses);
  }

  /** The course as the API shows it, read in the caller's transaction (no audit: for callers that audit their own action). */
  async viewOf(courseId: string, manager?: EntityManager, warnings?: string[]): Promise<CourseResponse> {
    const course = await this.courses.findById(courseId, manager);
    if (!course) throw new NotFound('Course', courseId);
    const [view] = await this.many([course], manager);
    return warnings ? { ...view, warnings } : view;
  }

  /** The courses as the API shows them: sessions, flags, outcome summary and (TMS) the motor threshold's next due time. */
  private async many(courses: CourseEntity[], manager?: EntityManager): Promise<CourseResponse[]> {
    const ids = courses.map((c) => c.id);
    const tmsIds = courses.filter((c) => c.treatment === 'tms').map((c) => c.id);
    const reads = [
      () => this.courses.findSessions(ids, manager),
      () => this.courses.findFlags(ids, manager),
      () => this.courses.findOutcomes(ids, manager),
      () => this.thresholds.lastMeasuredAt(tmsIds, manager),
      () => (tmsIds.length ? this.courses.findPlanningLocations([...new Set(courses.map((c) => c.locationId))], manager) : Promise.resolve([])),
    ] as const;
    // Inside a transaction (one connection) the reads go one after the other; otherwise in parallel from the pool.
    const [sessions, flags, outcomes, thresholds, locations] = (manager ? await sequentially(reads) : await Promise.all(reads.map((read) => read()))) as [
      AppointmentEntity[],
      CourseFlagEntity[],
      CourseOutcomeEntity[],
      Map<string, Date>,
      LocationEntity[],
    ];
    return courses.map((course) => {
      const location = locations.find((l) => l.id === course.locationId);
      return toCourseResponse(
        storedDraft(course),
        sessions.filter((s) => s.courseId === course.id).map(sessionRow),
        flags.filter((f) => f.courseId === course.id),
        undefined,
        CLINIC_ZONE,
        {
          outcomes: summarizeOutcomes(outcomes.filter((o) => o.courseId === course.id)),
          motorThresholdDueAt: motorThresholdDueAt(
            thresholds.get(course.id),
            location?.motorThresholdIntervalDays ?? MOTOR_THRESHOLD_INTERVAL_DAYS,
            location?.timezone ?? CLINIC_ZONE,
          ),
        },
      );
    });
  }
}

async function sequentially(reads: ReadonlyArray<() => Promise<unknown>>): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results;
}

function storedDraft(course: CourseEntity): CourseDraft {
  const protocol = PROTOCOLS[course.protocol as keyof typeof PROTOCOLS];
  return { ...course, protocol };
}

const sessionRow = (a: AppointmentEntity): CourseSessionRow => ({
  sequence: a.sequence,
  appointmentId: a.id,
  startsAt: a.startsAt,
  locationId: a.locationId,
  resourceId: a.resourceId,
  status: a.status,
});
