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
