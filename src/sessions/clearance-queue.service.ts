import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDateOf, clinicDayBounds, CLINIC_ZONE, toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { NotFound } from '../common/problems';
import { readingAwaitingClearance, SPRAVATO } from './domain/spravato-rules';
import { effectiveReadings } from './domain/vitals';
import { ClearanceQueueQuery, WaitingClearanceResponse } from './dto/clearance-queue.dto';
import { ClearanceQueueRepository } from './clearance-queue.repository';
import { SessionsRepository } from './sessions.repository';

const { systolic, diastolic } = SPRAVATO.bpThreshold;

/** A provider's queue: the clinic's Spravato sessions of a day that wait for a dosing clearance. */
@Injectable()
export class ClearanceQueueService {
  constructor(
    private readonly queue: ClearanceQueueRepository,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async waiting(query: ClearanceQueueQuery, actor: Actor): Promise<WaitingClearanceResponse[]> {
    if (!(await this.sessions.locationExists(query.locationId))) throw new NotFound('Location', query.locationId);
    const date = query.date ?? clinicDateOf(this.clock.now(), CLINIC_ZONE);
    const candidates = await this.queue.findDosingCandidates(query.locationId, clinicDayBounds(date, CLINIC_ZONE));
    const waiting = candidates.flatMap((candidate) => {
      const reading = readingAwaitingClearance(effectiveReadings(candidate.vitals), candidate.clearedReadingIds);
      return reading ? [{ candidate, reading }] : [];
    });
    // The list names patients and shows a reading of theirs: one entry per patient listed.
    await this.audit.recordMany(
      undefined,
      actor,
      'dosing-clearances.waiting.read',
      'patient',
      waiting.map((w) => w.candidate.patient.id),
      { locationId: query.locationId, date },
    );
    return waiting.map(({ candidate, reading }) => ({
      appointmentId: candidate.appointmentId,
      startsAt: toClinicIso(candidate.startsAt, CLINIC_ZONE),
      status: candidate.status,
      patient: candidate.patient,
      chair: candidate.resource,
      reading: { vitalsId: reading.id, systolic: reading.systolic, diastolic: reading.diastolic, takenAt: toClinicIso(reading.takenAt, CLINIC_ZONE) },
      why: `Pre-dose blood pressure ${reading.systolic}/${reading.diastolic} is above ${systolic}/${diastolic}`,
    }));
  }
}
