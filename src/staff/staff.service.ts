import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { PasswordService } from '../auth/password.service';
import { Actor, clinicScope } from '../common/actor';
import { toClinicIso } from '../common/clinic-time';
import { InvalidInput, NotFound, RuleViolation } from '../common/problems';
import { parseOffsetDateTime } from '../common/validation';
import { LocationsService } from '../locations/locations.service';
import { ShiftResponse, toShiftResponse } from './dto/shift.dto';
import { StaffResponse, toStaffResponse } from './dto/staff.dto';
import { notify } from '../database/notification-listener';
import { ACCOUNT_CHANNEL, staffChanged } from './domain/account-changes';
import { ShiftsRepository } from './shifts.repository';
import { Role } from './domain/roles';
import { StaffEntity } from './staff.entity';
import { StaffRepository } from './staff.repository';

/** A shift longer than this is a typo (a wrong date or am/pm), not a working day. */
export const MAX_SHIFT_HOURS = 16;

/** The constraint a PostgreSQL error names, when it is that kind of violation. */
function violatedConstraint(error: unknown, code: '23505' | '23P01'): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === code ? driverError.constraint : undefined;
}

@Injectable()
export class StaffService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly staff: StaffRepository,
    private readonly shifts: ShiftsRepository,
    private readonly locations: LocationsService,
    private readonly audit: AuditTrail,
    private readonly passwords: PasswordService,
  ) {}

  async list(filter: { role?: Role; locationId?: string }): Promise<StaffResponse[]> {
    return (await this.staff.findDirectory(filter)).map(toStaffResponse);
  }

  /** The active account with this email, for signing in. */
  findActiveByEmail(email: string): Promise<StaffEntity | null> {
    return this.staff.findActiveByEmail(email);
  }

  async findOrFail(id: string): Promise<StaffEntity> {
    const staff = await this.staff.findById(id);
    if (!staff) throw new NotFound('Staff member', id);
    return staff;
  }

  async create(person: { name: string; email: string; role: Role; password?: string; locationIds: string[] }, actor: Actor): Promise<StaffResponse> {
    const unknown = await this.locations.findUnknownIds(person.locationIds);
    if (unknown.length) throw InvalidInput.field('locationIds', `unknown location(s): ${unknown.join(', ')}`);
    if (person.password) this.passwords.assertAcceptable(person.password, person.email, 'password');
    const passwordHash = person.password ? await this.passwords.hash(person.password) : null;
    try {
      const created = await this.dataSource.transaction(async (manager) => {
        const created = await this.staff.insert(manager, {
          name: person.name,
          email: person.email,
          role: person.role,
          passwordHash,
          locationIds: person.locationIds,
        });
        await this.audit.record(manager, actor, 'staff.create', 'staff', created.id, {
          role: created.role,
          locationIds: person.locationIds,
          canLogIn: passwordHash !== null,
        });
        return created;
      });
      return toStaffResponse(created);
    } catch (error) {
      if (violatedConstraint(error, '23505') === 'uq_staff_email') {
        throw new RuleViolation('staff-email-unique', `A staff member with the email ${person.email.trim().toLowerCase()} already exists.`);
      }
      throw error;
    }
  }

  /**
   * Name, role, clinics, active flag. Every instance's guard reads them on each request, so the person's
   * very next request is judged by the new values (a deactivated person gets 401); the change is also
   * announced on `account_changes` for listeners.
   */
  async update(id: string, changes: { name?: string; role?: Role; locationIds?: string[]; active?: boolean }, actor: Actor): Promise<StaffResponse> {
    const given = Object.entries(changes).filter(([, value]) => value !== undefined);
    if (given.length === 0) throw InvalidInput.field('body', 'give at least one of name, role, locationIds, active');
    if (changes.locationIds) {
      const unknown = await this.locations.findUnknownIds(changes.locationIds);
      if (unknown.length) throw InvalidInput.field('locationIds', `unknown location(s): ${unknown.join(', ')}`);
    }
    const updated = await this.dataSource.transaction(async (manager) => {
      const current = await this.staff.findByIdForUpdate(manager, id);
      if (!current) throw new NotFound('Staff member', id);
      const losesAdmin = current.role === 'admin' && current.active && ((changes.role && changes.role !== 'admin') || changes.active === false);
      if (losesAdmin && (await this.staff.countOtherActiveAdmins(manager, id)) === 0) {
        throw new RuleViolation('last-admin', 'This is the last active admin: make someone else an admin first.');
      }
      await this.staff.update(manager, id, changes, new Date());
      if (changes.locationIds) await this.staff.replaceLocations(manager, id, changes.locationIds);
      const before = { name: current.name, role: current.role, active: current.active, locationIds: (current.locations ?? []).map((l) => l.id).sort() };
      const after = { ...before, ...Object.fromEntries(given), ...(changes.locationIds ? { locationIds: [...changes.locationIds].sort() } : {}) };
      const changed = (Object.keys(before) as Array<keyof typeof before>).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
      await this.audit.record(manager, actor, 'staff.update', 'staff', id, {
        fields: changed,
        ...Object.fromEntries(changed.filter((key) => key !== 'name').map((key) => [key, { from: before[key], to: after[key] }])),
      });
      await notify(manager, ACCOUNT_CHANNEL, staffChanged(id));
      return (await this.staff.findByIdForUpdate(manager, id))!;
    });
    return toStaffResponse(updated);
  }

  /** A non-admin sees the shifts at their own clinics only; without an actor (another module's own use), all. */
  async listShifts(staffId: string, range: { from?: string; to?: string }, actor?: Actor): Promise<ShiftResponse[]> {
    const from = range.from ? parseOffsetDateTime(range.from) : undefined;
    const to = range.to ? parseOffsetDateTime(range.to) : undefined;
    if (from && to && to <= from) throw InvalidInput.field('to', 'to must be after from');
    await this.findOrFail(staffId);
    const scope = actor && clinicScope(actor);
    return (await this.shifts.findForStaff(staffId, from, to)).filter((shift) => !scope || scope.includes(shift.locationId)).map(toShiftResponse);
  }

  async addShift(staffId: string, shift: { locationId: string; startsAt: string; endsAt: string }, actor: Actor): Promise<ShiftResponse> {
    const startsAt = parseOffsetDateTime(shift.startsAt)!;
    const endsAt = parseOffsetDateTime(shift.endsAt)!;
    if (endsAt <= startsAt) throw InvalidInput.field('endsAt', 'endsAt must be after startsAt');
    if (endsAt.getTime() - startsAt.getTime() > MAX_SHIFT_HOURS * 3_600_000) {
      throw InvalidInput.field('endsAt', `a shift lasts at most ${MAX_SHIFT_HOURS} hours`);
    }
    const staff = await this.findOrFail(staffId);
    if (!staff.locations?.some((location) => location.id === shift.locationId)) {
      if ((await this.locations.findUnknownIds([shift.locationId])).length) {
        throw InvalidInput.field('locationId', `location ${shift.locationId} does not exist`);
      }
      throw new RuleViolation(
        'shift-location-not-assigned',
        `${staff.name} does not work at location ${shift.locationId}; add the location to the staff member first.`,
      );
    }
    if (!staff.active) throw new RuleViolation('staff-inactive', `${staff.name} is no longer active.`);

    try {
      const created = await this.dataSource.transaction(async (manager) => {
        const created = await this.shifts.insert(manager, { staffId, locationId: shift.locationId, startsAt, endsAt });
        await this.audit.record(manager, actor, 'staff.shift.create', 'staff_shift', created.id, {
          staffId,
          locationId: created.locationId,
          startsAt: created.startsAt.toISOString(),
          endsAt: created.endsAt.toISOString(),
        });
        return created;
      });
      return toShiftResponse(created);
    } catch (error) {
      if (violatedConstraint(error, '23P01') === 'ex_staff_shifts_overlap') {
        throw await this.overlapRefusal(staff, startsAt, endsAt);
      }
      throw error;
    }
  }

  async removeShift(staffId: string, shiftId: string, actor: Actor): Promise<void> {
    await this.findOrFail(staffId);
    await this.dataSource.transaction(async (manager) => {
      const removed = await this.shifts.delete(manager, staffId, shiftId);
      if (!removed) throw new NotFound('Shift', shiftId);
      await this.audit.record(manager, actor, 'staff.shift.delete', 'staff_shift', shiftId, {
        staffId,
        locationId: removed.locationId,
        startsAt: removed.startsAt.toISOString(),
        endsAt: removed.endsAt.toISOString(),
      });
    });
  }

  /** Names the shift(s) in the way: read after the refused insert, when the other one has committed. */
  private async overlapRefusal(staff: StaffEntity, startsAt: Date, endsAt: Date): Promise<RuleViolation> {
    const overlapping = await this.shifts.findOverlapping(staff.id, startsAt, endsAt);
    const described = overlapping.map((s) => {
      const zone = s.location?.timezone;
      return { id: s.id, locationId: s.locationId, startsAt: toClinicIso(s.startsAt, zone), endsAt: toClinicIso(s.endsAt, zone) };
    });
    const detail = described.length
      ? `${staff.name} is already on shift ${described.map((s) => `${s.id} (${s.startsAt} to ${s.endsAt})`).join(', ')}; one person cannot be on two overlapping shifts.`
      : `${staff.name} is already on an overlapping shift; one person cannot be on two overlapping shifts.`;
    return new RuleViolation('staff-shift-overlap', detail, undefined, { overlappingShifts: described });
  }
}
