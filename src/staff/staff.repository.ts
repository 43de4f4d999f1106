import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from './domain/roles';
import { StaffEntity } from './staff.entity';

export interface NewStaff {
  email: string;
  name: string;
  role: Role;
  passwordHash: string | null;
  locationIds: string[];
}

@Injectable()
export class StaffRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findActiveByEmail(email: string): Promise<StaffEntity | null> {
    return this.dataSource.getRepository(StaffEntity).findOne({ where: { email: email.trim().toLowerCase(), active: true } });
  }

  findById(id: string): Promise<StaffEntity | null> {
    return this.dataSource.getRepository(StaffEntity).findOne({ where: { id }, relations: { locations: true } });
  }

  findAllWithLocations(): Promise<StaffEntity[]> {
    return this.findDirectory({});
  }

  /** Staff by name, each with all their locations; `locationId` keeps those who work there. */
  findDirectory(filter: { role?: Role; locationId?: string }): Promise<StaffEntity[]> {
    const qb = this.dataSource.getRepository(StaffEntity).createQueryBuilder('s').leftJoinAndSelect('s.locations', 'l');
    if (filter.role) qb.andWhere('s.role = :role', { role: filter.role });
    if (filter.locationId) {
      qb.andWhere('EXISTS (SELECT 1 FROM staff_locations sl WHERE sl.staff_id = s.id AND sl.location_id = :locationId)', {
        locationId: filter.locationId,
      });
    }
    return qb.orderBy('s.name', 'ASC').addOrderBy('s.id', 'ASC').getMany();
  }

  /** Locks the row for a change. */
  findByIdForUpdate(manager: EntityManager, id: string): Promise<StaffEntity | null> {
    return manager
      .getRepository(StaffEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write', tables: ['staff'] } })
      .then(async (staff) => staff && manager.getRepository(StaffEntity).findOneOrFail({ where: { id }, relations: { locations: true } }));
  }

  /** Active admins other than `except`, locked so that two demotions cannot leave none. */
  async countOtherActiveAdmins(manager: EntityManager, except: string): Promise<number> {
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM staff WHERE role = 'admin' AND active AND id <> $1 FOR UPDATE`, [except]);
    return rows.length;
  }

  /** A deactivation also ends every session that began before it (so a later reactivation does not revive them). */
  async update(manager: EntityManager, id: string, changes: { name?: string; role?: Role; active?: boolean }, at: Date): Promise<void> {
    await manager.query(
      `UPDATE staff SET name = COALESCE($2, name), role = COALESCE($3, role), active = COALESCE($4, active),
              sessions_not_before = CASE WHEN $4 = false AND active THEN $5 ELSE sessions_not_before END
        WHERE id = $1`,
      [id, changes.name ?? null, changes.role ?? null, changes.active ?? null, at],
    );
  }

  async replaceLocations(manager: EntityManager, id: string, locationIds: string[]): Promise<void> {
    await manager.query('DELETE FROM staff_locations WHERE staff_id = $1 AND location_id <> ALL($2::uuid[])', [id, locationIds]);
    await manager.query('INSERT INTO staff_locations (staff_id, location_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [id, locationIds]);
  }

  async insert(manager: EntityManager, staff: NewStaff): Promise<StaffEntity> {
    const [row] = await manager.query(`INSERT INTO staff (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`, [
      staff.email.trim().toLowerCase(),
      staff.name,
      staff.role,
      staff.passwordHash,
    ]);
    if (staff.locationIds.length > 0) {
      await manager.query(`INSERT INTO staff_locations (staff_id, location_id) SELECT $1, unnest($2::uuid[])`, [row.id, staff.locationIds]);
    }
    return manager.getRepository(StaffEntity).findOneOrFail({ where: { id: row.id }, relations: { locations: true } });
  }
}
