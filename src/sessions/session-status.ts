import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppointmentEvents } from '../appointments/appointment-events';
import { AppointmentStatus } from '../appointments/domain/vocabulary';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { AppointmentLookup } from '../appointments/appointment-lookup.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { RuleViolation } from '../common/problems';
import { Refusal, SessionAction, transition } from './domain/status-machine';
import { SessionsRepository } from './sessions.repository';

/** A 409 naming the rule, with the appointment's current status (and every unmet condition, if several). */
export function refuse(appointment: AppointmentEntity, refusal: Refusal, unmet?: Refusal[]): RuleViolation {
  return new RuleViolation(refusal.rule, refusal.detail, undefined, {
    currentStatus: appointment.status,
    ...(unmet && unmet.length > 1 ? { unmet } : {}),
  });
}

/**
 * Status changes of the session workflow, always inside the caller's transaction: lock the appointment
 * row, check the transition, write, tell the listeners (reminders) and audit.
 */
@Injectable()
export class SessionStatus {
  constructor(
    private readonly appointments: AppointmentLookup,
    private readonly sessions: SessionsRepository,
    private readonly events: AppointmentEvents,
    private readonly audit: AuditTrail,
  ) {}

  /** The appointment, locked until the transaction ends (SELECT … FOR UPDATE), or a 404. */
  async lock(manager: EntityManager, id: string): Promise<AppointmentEntity> {
    return this.appointments.lockOrFail(manager, id);
  }

  /** Where `action` takes the appointment, or a 409 naming the rule and the current status. */
  next(appointment: AppointmentEntity, action: SessionAction): AppointmentStatus {
    const result = transition(appointment.type, appointment.status, action);
    if (!result.ok) throw refuse(appointment, result);
    return result.to;
  }

  async advance(
    manager: EntityManager,
    appointment: AppointmentEntity,
    to: AppointmentStatus,
    actor: Actor,
    auditAction: string,
    details: Record<string, unknown> = {},
    earliestDischargeAt?: Date,
  ): Promise<AppointmentEntity> {
    await this.sessions.setStatus(manager, appointment.id, to, earliestDischargeAt);
    const updated = await this.appointments.findOrFail(appointment.id, manager);
    await this.events.publish(manager, { change: 'status', appointment: updated, actor });
    await this.audit.record(manager, actor, auditAction, 'appointment', appointment.id, {
      patientId: appointment.patientId,
      from: appointment.status,
      to,
      ...details,
    });
    return updated;
  }
}
