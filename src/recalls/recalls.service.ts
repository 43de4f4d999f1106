import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { addDays, clinicDateOf, clinicDayBounds } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { phaseOf, PROTOCOLS, storedCourseOptions } from '../courses/domain/protocols';
import { LocationsService } from '../locations/locations.service';
import { Recall, RECALL_LOOKBACK_DAYS, recallFor, tmsRecallFor } from './domain/recall-rules';
import { RecallQueryDto, RecallResponse, toRecallResponse } from './dto/recall.dto';
import { LastSessionRow, RecallsRepository } from './recalls.repository';

/** Patients due for a session with none booked: ketamine boosters, Spravato and ECT maintenance, unfinished TMS courses. */
@Injectable()
export class RecallsService {
  constructor(
    private readonly recalls: RecallsRepository,
    private readonly locations: LocationsService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async list(query: RecallQueryDto, actor: Actor): Promise<RecallResponse[]> {
    const location = await this.locations.findOrFail(query.locationId);
    const today = clinicDateOf(this.clock.now());
    const since = clinicDayBounds(addDays(today, -RECALL_LOOKBACK_DAYS)).start;
    const found: Recall[] = [];
    if (query.treatment !== 'tms') {
      for (const row of await this.recalls.findLastSessions(location.id, since, query.treatment)) {
        const recall = recallFor(historyOf(row), location, today);
        if (recall) found.push(recall);
      }
    }
    if (!query.treatment || query.treatment === 'tms') {
      for (const course of await this.recalls.findActiveTmsCourses(location.id)) {
        const recall = tmsRecallFor({ ...course, lastSessionDate: course.lastSessionAt ? clinicDateOf(new Date(course.lastSessionAt)) : null }, today);
        if (recall) found.push(recall);
      }
    }
    found.sort((a, b) => a.dueFrom.localeCompare(b.dueFrom) || a.patientId.localeCompare(b.patientId));
    // A recall names patients and their treatments: reading it is reading patient data.
    await this.audit.record(undefined, actor, 'recalls.read', 'location', location.id, {
      treatment: query.treatment ?? null,
      patientIds: found.map((r) => r.patientId),
    });
    return found.map(toRecallResponse);
  }
}

function historyOf(row: LastSessionRow) {
  const lastSessionAt = new Date(row.lastSessionAt);
  const protocol = row.protocol ? PROTOCOLS[row.protocol as keyof typeof PROTOCOLS] : undefined;
  const settings = row.settings ?? {};
  const phase =
    protocol && row.sequence !== null ? phaseOf(protocol, row.sequence, storedCourseOptions(protocol, row.totalSessions ?? 0, settings)) : undefined;
  return {
    patientId: row.patientId,
    treatment: row.treatment,
    lastSessionAt,
    lastSessionDate: clinicDateOf(lastSessionAt),
    sessionsDone: row.sessionsDone,
    bookedAhead: row.bookedAhead,
    course: row.courseId
      ? { id: row.courseId, protocol: row.protocol!, status: row.courseStatus!, phase, maintenanceEveryWeeks: settings.maintenanceEveryWeeks }
      : null,
  };
}
