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

  /** Set by a password reset: the person's sessions can do nothing but change the password. */
  @Column({ type: 'boolean', default: false })
  passwordChangeRequired: boolean;

  /** Sessions that began before this are over (a reset password, a deactivation). */
  @Column({ type: 'timestamptz', nullable: true })
  sessionsNotBefore: Date | null;

  /** Wrong passwords in a row; at LOGIN_LOCK_AFTER_FAILURES the account locks until a password reset. */
  @Column({ type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedAt: Date | null;

  /** The TOTP secret, encrypted (AES-256-GCM); never returned after setup. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  mfaSecret: string | null;

  /** A secret handed out by setup and not yet confirmed with a code. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  mfaPendingSecret: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  mfaEnabledAt: Date | null;

  /** The last TOTP time step accepted: a code is never accepted twice. */
  @Column({ type: 'integer', nullable: true })
  mfaLastStep: number | null;

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
