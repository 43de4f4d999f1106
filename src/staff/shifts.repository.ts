import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ShiftEntity } from './shift.entity';
import { Role } from './domain/roles';

/** A shift as the booking rules need it: who, in which role, when. */
export interface ShiftCover {
  staffId: string;
  role: Role;
  startsAt: Date;
  endsAt: Date;
}

@Injectable()
export class ShiftsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A staff member's shifts overlapping [from, to) (either bound optional), by start, with their location. */
  findForStaff(staffId: string, from?: Date, to?: Date): Promise<ShiftEntity[]> {
    const qb = this.dataSource
      .getRepository(ShiftEntity)
      .createQueryBuilder('s')
      .leftJoinAndSelect('s.location', 'l')
      .where('s.staffId = :staffId', { staffId });
    if (from) qb.andWhere('s.endsAt > :from', { from });
    if (to) qb.andWhere('s.startsAt < :to', { to });
    return qb.orderBy('s.startsAt', 'ASC').addOrderBy('s.id', 'ASC').getMany();
  }

  findById(id: string): Promise<ShiftEntity | null> {
    return this.dataSource.getRepository(ShiftEntity).findOne({ where: { id }, relations: { location: true } });
  }

  /** The shifts of one staff member that overlap [startsAt, endsAt), to name them in a refusal. */
  findOverlapping(staffId: string, startsAt: Date, endsAt: Date): Promise<ShiftEntity[]> {
    return this.dataSource
      .getRepository(ShiftEntity)
      .createQueryBuilder('s')
      .leftJoinAndSelect('s.location', 'l')
      .where('s.staffId = :staffId', { staffId })
      .andWhere(`tstzrange(s.startsAt, s.endsAt, '[)') && tstzrange(:startsAt, :endsAt, '[)')`, { startsAt, endsAt })
      .orderBy('s.startsAt', 'ASC')
      .getMany();
  }

  /**
   * Active staff of the given roles on shift at a location at any time in [from, to), by start. The
   * booking rules use this to check that a nurse or provider is there.
   */
  async findShiftsAt(locationId: string, from: Date, to: Date, roles: Role[]): Promise<ShiftCover[]> {
    if (roles.length === 0) return [];
    const rows: Array<{ staff_id: string; role: Role; starts_at: Date; ends_at: Date }> = await this.dataSource.query(
      `SELECT sh.staff_id, st.role, sh.starts_at, sh.ends_at
       FROM staff_shifts sh JOIN staff st ON st.id = sh.staff_id
       WHERE sh.location_id = $1
         AND sh.starts_at < $3 AND sh.ends_at > $2
         AND st.active AND st.role = ANY($4::varchar[])
       ORDER BY sh.starts_at, sh.staff_id`,
      [locationId, from, to, roles],
    );
    return rows.map((row) => ({ staffId: row.staff_id, role: row.role, startsAt: row.starts_at, endsAt: row.ends_at }));
  }

  /** Throws the database's 23P01 (ex_staff_shifts_overlap) when the person is already on shift then. */
  async insert(manager: EntityManager, shift: { staffId: string; locationId: string; startsAt: Date; endsAt: Date }): Promise<ShiftEntity> {
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO staff_shifts (staff_id, location_id, starts_at, ends_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [shift.staffId, shift.locationId, shift.startsAt, shift.endsAt],
    );
    return manager.getRepository(ShiftEntity).findOneOrFail({ where: { id: row.id }, relations: { location: true } });
  }

  /** The removed shift, or undefined when that staff member has no such shift. */
  async delete(manager: EntityManager, staffId: string, shiftId: string): Promise<{ locationId: string; startsAt: Date; endsAt: Date } | undefined> {
    const [rows]: [Array<{ location_id: string; starts_at: Date; ends_at: Date }>, number] = await manager.query(
      `DELETE FROM staff_shifts WHERE id = $1 AND staff_id = $2 RETURNING location_id, starts_at, ends_at`,
      [shiftId, staffId],
    );
    const row = rows[0];
    return row ? { locationId: row.location_id, startsAt: row.starts_at, endsAt: row.ends_at } : undefined;
  }
}
