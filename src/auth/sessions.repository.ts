import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { patientVisibleSql } from '../access/patient-visibility';
import { preparedQuery } from '../database/prepared-query';
import { returnedRows } from '../database/returned-rows';
import type { Role } from '../staff/domain/roles';

/** What the guard needs to judge a request: the session and its person, as they are now. */
export interface SessionState {
  sessionId: string;
  staffId: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  locationIds: string[];
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  sessionsNotBefore: Date | null;
  passwordChangeRequired: boolean;
  mfaEnabled: boolean;
  /** Of the patient ids asked about, those the person's clinics may see now (`patientVisibleSql`). */
  visiblePatientIds: string[];
}

/** A refresh token looked up (and locked) for rotation. */
export interface RefreshClaim {
  sessionId: string;
  usedAt: Date | null;
}

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The session and its person, and which of `patientIds` (the patients the request names) their clinics
   * may see, in one prepared statement: the guards' two questions cost one round trip (BENCHMARKS.md, booking).
   * The id lists come as JSON (parsed natively) rather than as PostgreSQL arrays, whose text the driver parses
   * a character at a time: a group-level account's 60 clinics cost 0.07 ms a request that way. The person's
   * clinics are read once (the lateral `clinics`), not again by each visibility test.
   */
  async findState(sessionId: string, manager: EntityManager = this.dataSource.manager, patientIds: string[] = []): Promise<SessionState | undefined> {
    const [row] = await preparedQuery<SessionState & Record<string, unknown>>(
      manager,
      `SELECT s.id AS "sessionId", s.staff_id AS "staffId", st.email, st.name, st.role, st.active,
              to_json(clinics.ids) AS "locationIds",
              s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt", s.ended_at AS "endedAt",
              st.sessions_not_before AS "sessionsNotBefore", st.password_change_required AS "passwordChangeRequired",
              st.mfa_enabled_at IS NOT NULL AS "mfaEnabled",
              (SELECT COALESCE(json_agg(p.id), '[]') FROM patients p
                WHERE p.id = ANY($2::uuid[])
                  AND ${patientVisibleSql('p.id', 'clinics.ids')}) AS "visiblePatientIds"
         FROM auth_sessions s JOIN staff st ON st.id = s.staff_id
              -- The person's clinics, read once for the list and for each visibility test (OFFSET 0 keeps the
              -- planner from copying the sub-select into every place that names clinics.ids).
              CROSS JOIN LATERAL (SELECT ARRAY(SELECT sl.location_id FROM staff_locations sl WHERE sl.staff_id = st.id ORDER BY 1) AS ids OFFSET 0) clinics
        WHERE s.id = $1`,
      [sessionId, patientIds],
    );
    return row;
  }

  async create(manager: EntityManager, session: { staffId: string; now: Date; expiresAt: Date; clientAddress: string | null }): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO auth_sessions (staff_id, created_at, last_seen_at, expires_at, client_address) VALUES ($1, $2, $2, $3, $4) RETURNING id`,
      [session.staffId, session.now, session.expiresAt, session.clientAddress],
    );
    return row.id;
  }

  async touch(sessionId: string, at: Date): Promise<void> {
    await this.dataSource.query('UPDATE auth_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2 AND ended_at IS NULL', [sessionId, at]);
  }

  /** True when this call ended it (it was still open). */
  async end(manager: EntityManager, sessionId: string, reason: string, at: Date): Promise<boolean> {
    const rows = returnedRows(
      await manager.query(`UPDATE auth_sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL RETURNING id`, [sessionId, at, reason]),
    );
    return rows.length > 0;
  }

  /** Ends every open session of a person but one (`keep`); their ids. */
  async endOthers(manager: EntityManager, staffId: string, keep: string, reason: string, at: Date): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(
      await manager.query(`UPDATE auth_sessions SET ended_at = $3, end_reason = $4 WHERE staff_id = $1 AND id <> $2 AND ended_at IS NULL RETURNING id`, [
        staffId,
        keep,
        at,
        reason,
      ]),
    );
    return rows.map((row) => row.id);
  }

  async insertRefreshToken(manager: EntityManager, sessionId: string, tokenHash: string, at: Date): Promise<void> {
    await manager.query('INSERT INTO auth_refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)', [tokenHash, sessionId, at]);
  }

  /** The token's session, locked so that two refreshes with one token decide one after the other. */
  async claimRefreshToken(manager: EntityManager, tokenHash: string): Promise<RefreshClaim | undefined> {
    const [row] = await manager.query(`SELECT session_id AS "sessionId", used_at AS "usedAt" FROM auth_refresh_tokens WHERE token_hash = $1 FOR UPDATE`, [
      tokenHash,
    ]);
    return row;
  }

  async markRefreshTokenUsed(manager: EntityManager, tokenHash: string, at: Date): Promise<void> {
    await manager.query('UPDATE auth_refresh_tokens SET used_at = $2 WHERE token_hash = $1', [tokenHash, at]);
  }
}
