import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/returned-rows';

export interface ConsentChange {
  patientId: string;
  /** Whether the patient's consent was different before (an actual change). */
  changed: boolean;
}

export interface ClinicContactRow {
  name: string;
  address: string;
  phone: string;
}

/** Consent to texts given or withdrawn by text, for every patient record with that number. */
@Injectable()
export class SmsConsentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Sets the consent of every patient with this number; locks their rows so concurrent keywords apply one after the other. */
  async setConsentByPhone(manager: EntityManager, phone: string, optIn: boolean): Promise<ConsentChange[]> {
    const result = await manager.query(
      `UPDATE patients p SET sms_opt_in = $2, updated_at = now()
         FROM (SELECT id, sms_opt_in AS was FROM patients WHERE phone = $1 ORDER BY id FOR UPDATE) before
        WHERE p.id = before.id
       RETURNING p.id AS "patientId", before.was IS DISTINCT FROM $2 AS changed`,
      [phone, optIn],
    );
    return returnedRows<ConsentChange>(result);
  }

  async recordEvents(
    manager: EntityManager,
    patientIds: string[],
    event: 'opt_out' | 'opt_in',
    keyword: string,
    inboundMessageSid: string | null,
  ): Promise<void> {
    if (patientIds.length === 0) return;
    await manager.query(`INSERT INTO sms_consent_events (patient_id, event, keyword, inbound_message_sid) SELECT unnest($1::uuid[]), $2, $3, $4`, [
      patientIds,
      event,
      keyword,
      inboundMessageSid,
    ]);
  }

  /**
   * The clinic that answers HELP from this number: the patient's preferred clinic, else the clinic of
   * their next appointment, else of their latest one. Undefined for a number no patient has.
   */
  async findClinicForPhone(phone: string, now: Date, manager?: EntityManager): Promise<ClinicContactRow | undefined> {
    const [row] = await (manager ?? this.dataSource.manager).query(
      `SELECT l.name, l.address, l.phone
         FROM patients p
         JOIN LATERAL (
           SELECT coalesce(
             p.preferred_location_id,
             (SELECT a.location_id FROM appointments a WHERE a.patient_id = p.id AND a.starts_at >= $2 AND a.status = 'scheduled' ORDER BY a.starts_at LIMIT 1),
             (SELECT a.location_id FROM appointments a WHERE a.patient_id = p.id ORDER BY a.starts_at DESC LIMIT 1),
             (SELECT id FROM locations ORDER BY code LIMIT 1)) AS location_id
         ) chosen ON true
         JOIN locations l ON l.id = chosen.location_id
        WHERE p.phone = $1
        ORDER BY p.created_at, p.id
        LIMIT 1`,
      [phone, now],
    );
    return row;
  }
}
