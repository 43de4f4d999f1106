import { Check, Column, CreateDateColumn, Entity, Index, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from './domain/roles';
import { LocationEntity } from '../locations/location.entity';

@Entity('staff')
@Check('ck_staff_role', `"role" IN ('admin', 'front_desk', 'nurse', 'provider')`)
export class StaffEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-case. */
  @Index('uq_staff_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  /** scrypt$N$r$p$salt$hash; null for staff who cannot log in (e.g. rostered nurses without an account yet). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  passwordHash: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @ManyToMany(() => LocationEntity)
  @JoinTable({
    name: 'staff_locations',
    joinColumn: { name: 'staff_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_staff_locations_staff' },
    inverseJoinColumn: {
      name: 'location_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'fk_staff_locations_location',
    },
  })
  locations?: LocationEntity[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
