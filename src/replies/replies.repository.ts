import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A patient with the number a reply came from, and what they have going on. */
export interface PatientOfNumber {
  patientId: string;
  /** Their clinic for the front desk: preferred, else of their next appointment, else of their latest. */
  locationId: string | null;
  /** Scheduled appointments that have not started. */
  upcoming: number;
  openOffers: number;
  /** Whether they accept texts: an answer goes only to a patient who does. */
  smsOptIn: boolean;
}

@Injectable()
export class RepliesRepository {
  /** Every patient with this number (a shared family phone has several), in a stable order. */
  async findPatientsOfNumber(manager: EntityManager, phone: string, now: Date): Promise<PatientOfNumber[]> {
    return manager.query(
      `SELECT p.id AS "patientId", p.sms_opt_in AS "smsOptIn",
              coalesce(p.preferred_location_id,
                (SELECT a.location_id FROM appointments a WHERE a.patient_id = p.id AND a.status = 'scheduled' AND a.starts_at > $2 ORDER BY a.starts_at LIMIT 1),
                (SELECT a.location_id FROM appointments a WHERE a.patient_id = p.id ORDER BY a.starts_at DESC LIMIT 1)) AS "locationId",
              (SELECT count(*)::int FROM appointments a WHERE a.patient_id = p.id AND a.status = 'scheduled' AND a.starts_at > $2) AS upcoming,
              (SELECT count(*)::int FROM waitlist_offers o WHERE o.patient_id = p.id AND o.status = 'offered') AS "openOffers"
         FROM patients p WHERE p.phone = $1
        ORDER BY p.created_at, p.id`,
      [phone, now],
    );
  }

  /** A patient's usual local time of day for a type: the median start of their last appointments of it (minutes), if any. */
  async findUsualMinutes(manager: EntityManager, patientId: string, type: string, zone: string): Promise<number | undefined> {
    const [row] = await manager.query(
      `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY m) AS minutes
         FROM (SELECT extract(hour FROM starts_at AT TIME ZONE $3) * 60 + extract(minute FROM starts_at AT TIME ZONE $3) AS m
                 FROM appointments WHERE patient_id = $1 AND type = $2 AND status NOT IN ('cancelled', 'no_show')
                ORDER BY starts_at DESC LIMIT 10) recent`,
      [patientId, type, zone],
    );
    return row?.minutes === null || row?.minutes === undefined ? undefined : Number(row.minutes);
  }
}
