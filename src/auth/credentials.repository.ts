import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import type { Role } from '../staff/domain/roles';

/** The sign-in side of a staff row: the auth module owns these columns of `staff`; the staff module owns the rest. */
export interface Credentials {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  passwordHash: string | null;
  failedLogins: number;
  lockedAt: Date | null;
  passwordChangeRequired: boolean;
  mfaSecret: string | null;
  mfaPendingSecret: string | null;
  mfaLastStep: number | null;
}

const COLUMNS = `id, email, name, role, active, password_hash AS "passwordHash", failed_logins AS "failedLogins", locked_at AS "lockedAt",
  password_change_required AS "passwordChangeRequired", mfa_secret AS "mfaSecret", mfa_pending_secret AS "mfaPendingSecret",
  mfa_last_step AS "mfaLastStep"`;

@Injectable()
export class CredentialsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findActiveByEmail(email: string): Promise<Credentials | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM staff WHERE email = $1 AND active`, [email]);
    return row;
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Credentials | undefined> {
    const [row] = await manager.query(`SELECT ${COLUMNS} FROM staff WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row;
  }

  /** One more wrong password in a row; locks the account at `lockAfter`. Whether it is now locked. */
  async recordFailure(id: string, lockAfter: number, at: Date): Promise<boolean> {
    const [row] = returnedRows<{ locked: boolean }>(
      await this.dataSource.query(
        `UPDATE staff SET failed_logins = failed_logins + 1,
                locked_at = CASE WHEN locked_at IS NULL AND failed_logins + 1 >= $2 THEN $3 ELSE locked_at END
          WHERE id = $1 RETURNING locked_at IS NOT NULL AS locked`,
        [id, lockAfter, at],
      ),
    );
    return row?.locked ?? false;
  }

  async recordSuccess(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE staff SET failed_logins = 0 WHERE id = $1 AND failed_logins <> 0', [id]);
  }

  async setMfaStep(manager: EntityManager, id: string, step: number): Promise<void> {
    await manager.query('UPDATE staff SET mfa_last_step = $2 WHERE id = $1', [id, step]);
  }

  async setPassword(manager: EntityManager, id: string, passwordHash: string, change: { required: boolean; endSessionsAt?: Date }): Promise<void> {
    await manager.query(
      `UPDATE staff SET password_hash = $2, password_change_required = $3, failed_logins = 0, locked_at = NULL,
              sessions_not_before = COALESCE($4, sessions_not_before)
        WHERE id = $1`,
      [id, passwordHash, change.required, change.endSessionsAt ?? null],
    );
  }

  async setPendingMfa(manager: EntityManager, id: string, sealed: string): Promise<void> {
    await manager.query('UPDATE staff SET mfa_pending_secret = $2 WHERE id = $1', [id, sealed]);
  }

  async enableMfa(manager: EntityManager, id: string, at: Date, step: number): Promise<void> {
    await manager.query(`UPDATE staff SET mfa_secret = mfa_pending_secret, mfa_pending_secret = NULL, mfa_enabled_at = $2, mfa_last_step = $3 WHERE id = $1`, [
      id,
      at,
      step,
    ]);
  }

  /** A lost phone: the second factor is removed, and the person's sessions end. */
  async clearMfa(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE staff SET mfa_secret = NULL, mfa_pending_secret = NULL, mfa_enabled_at = NULL, mfa_last_step = NULL, sessions_not_before = $2 WHERE id = $1`,
      [id, at],
    );
  }
}
