import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import type { OfferStatusWord, WaitlistType } from './domain/offer-status';
import type { TimeWindow } from './domain/waitlist-fit';
import { WaitlistEntryEntity, WaitlistEntryStatus } from './waitlist-entry.entity';
import { WaitlistOfferEntity } from './waitlist-offer.entity';

export interface NewEntry {
  patientId: string;
  type: WaitlistType;
  locationIds: string[];
  fromDate: string;
  toDate: string;
  windows: TimeWindow[];
  priority: number;
  createdBy: string | null;
}

/** A freed slot: a resource at a start, for one type at one clinic. */
export interface SlotKey {
  locationId: string;
  type: WaitlistType;
  resourceId: string;
  startsAt: Date;
}

/** An entry that may take a slot, with what the offer needs of its patient. */
/** Namespace of the per-slot advisory locks of the offer jobs (the calendar's are 724_310 and 724_311). */
const SLOT_LOCK_CLASS = 724_312;

export interface Candidate {
  entryId: string;
  patientId: string;
  locationIds: string[];
  fromDate: string;
  toDate: string;
  windows: TimeWindow[];
  phone: string;
}

export interface NewOffer extends SlotKey {
  entryId: string;
  patientId: string;
  holdId: string;
  freedAt: Date;
  offeredAt: Date;
  expiresAt: Date;
  sourceAppointmentId: string | null;
}

/** Waitlist entries and the offers made to them. */
@Injectable()
export class WaitlistRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertEntry(manager: EntityManager, entry: NewEntry): Promise<WaitlistEntryEntity> {
    const [row] = await manager.query(
      `INSERT INTO waitlist_entries (patient_id, type, location_ids, from_date, to_date, windows, priority, created_by)
       VALUES ($1, $2, $3::uuid[], $4, $5, $6::jsonb, $7, $8) RETURNING id`,
      [entry.patientId, entry.type, entry.locationIds, entry.fromDate, entry.toDate, JSON.stringify(entry.windows), entry.priority, entry.createdBy],
    );
    return (await manager.getRepository(WaitlistEntryEntity).findOneByOrFail({ id: row.id }))!;
  }

  /** Active entries at a clinic (of a type), in the order they are offered slots: priority, then age. */
  findActiveEntries(filter: { locationId: string; type?: WaitlistType; afterId?: string; limit: number }): Promise<WaitlistEntryEntity[]> {
    const qb = this.dataSource
      .getRepository(WaitlistEntryEntity)
      .createQueryBuilder('w')
      .where(`w.status = 'active'`)
      .andWhere(':locationId = ANY(w.locationIds)', { locationId: filter.locationId });
    if (filter.type) qb.andWhere('w.type = :type', { type: filter.type });
    if (filter.afterId) {
      qb.andWhere('(-w.priority, w.createdAt, w.id) > (SELECT -x.priority, x.created_at, x.id FROM waitlist_entries x WHERE x.id = :afterId)', {
        afterId: filter.afterId,
      });
    }
    return qb.orderBy('w.priority', 'DESC').addOrderBy('w.createdAt', 'ASC').addOrderBy('w.id', 'ASC').limit(filter.limit).getMany();
  }

  lockEntry(manager: EntityManager, id: string): Promise<WaitlistEntryEntity | null> {
    return manager.getRepository(WaitlistEntryEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async closeEntry(manager: EntityManager, id: string, status: Exclude<WaitlistEntryStatus, 'active'>, at: Date, appointmentId: string | null): Promise<void> {
    await manager.query(`UPDATE waitlist_entries SET status = $2, closed_at = $3, appointment_id = $4 WHERE id = $1 AND status = 'active'`, [
      id,
      status,
      at,
      appointmentId,
    ]);
  }

  /**
   * The entries that may take a freed slot, best first (priority, then the oldest): active, of the type, at
   * the clinic, the slot's date in their range, a patient who accepts texts, who is REMS-enrolled for
   * Spravato, has no open offer, and was not offered this slot before. Windows, the booking rules and
   * eligibility are judged by the caller.
   */
  async findCandidates(
    manager: EntityManager,
    slot: SlotKey,
    localDate: string,
    excludePatientId: string | null,
    after: number,
    limit: number,
  ): Promise<Candidate[]> {
    return manager.query(
      `SELECT w.id AS "entryId", w.patient_id AS "patientId", w.location_ids AS "locationIds", to_char(w.from_date, 'YYYY-MM-DD') AS "fromDate",
              to_char(w.to_date, 'YYYY-MM-DD') AS "toDate", w.windows, p.phone
         FROM waitlist_entries w JOIN patients p ON p.id = w.patient_id
        WHERE w.status = 'active' AND w.type = $1 AND $2::uuid = ANY(w.location_ids) AND $3::date BETWEEN w.from_date AND w.to_date
          AND p.sms_opt_in AND ($1 <> 'spravato' OR p.rems_enrolled_at IS NOT NULL)
          AND w.patient_id IS DISTINCT FROM $6::uuid
          AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.patient_id = w.patient_id AND o.status = 'offered')
          AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.entry_id = w.id AND o.resource_id = $4 AND o.starts_at = $5)
        ORDER BY w.priority DESC, w.created_at, w.id
        OFFSET $7 LIMIT $8`,
      [slot.type, slot.locationId, localDate, slot.resourceId, slot.startsAt, excludePatientId, after, limit],
    );
  }

  /**
   * Takes the entry for this transaction when neither it nor its patient has an open offer (read afresh: a
   * job that offered it may have committed since the candidates were read); false otherwise, and with
   * `skip-locked` also while another job is trying it. Jobs offering slots of one type at one clinic at
   * once all reach the same first entry; each waited for the one trying it before finding it taken (185
   * wasted tries and their waits for 400 offers; BENCHMARKS.md, waitlist). Skipping it, a job offers its
   * slot to the next entry that fits, and comes back to the skipped ones (`wait`) only when none does.
   */
  async claimCandidate(manager: EntityManager, entryId: string, locked: 'skip-locked' | 'wait'): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT w.id FROM waitlist_entries w
        WHERE w.id = $1 AND w.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.entry_id = w.id AND o.status = 'offered')
          AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.patient_id = w.patient_id AND o.status = 'offered')
        FOR UPDATE OF w${locked === 'skip-locked' ? ' SKIP LOCKED' : ''}`,
      [entryId],
    );
    return rows.length > 0;
  }

  /**
   * Serialises the jobs offering one slot (two instances, a retry): the second waits for the first and then
   * finds its open offer. Without it, a job that skipped the entry another was trying for the same slot
   * (claimCandidate) could hold the slot for the next entry first.
   */
  async lockSlot(manager: EntityManager, resourceId: string, startsAt: Date): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [SLOT_LOCK_CLASS, `${resourceId}:${startsAt.toISOString()}`]);
  }

  findOpenOfferForSlot(manager: EntityManager, resourceId: string, startsAt: Date): Promise<WaitlistOfferEntity | null> {
    return manager.getRepository(WaitlistOfferEntity).findOne({ where: { resourceId, startsAt, status: 'offered' } });
  }

  /** The offer, or undefined when the entry or the patient got another offer meanwhile (the open-offer unique indexes). */
  async insertOffer(manager: EntityManager, offer: NewOffer): Promise<string | undefined> {
    const [row] = await manager.query(
      `INSERT INTO waitlist_offers (entry_id, patient_id, location_id, type, resource_id, starts_at, hold_id, status, freed_at, offered_at, expires_at, source_appointment_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'offered', $8, $9, $10, $11)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        offer.entryId,
        offer.patientId,
        offer.locationId,
        offer.type,
        offer.resourceId,
        offer.startsAt,
        offer.holdId,
        offer.freedAt,
        offer.offeredAt,
        offer.expiresAt,
        offer.sourceAppointmentId,
      ],
    );
    return row?.id;
  }

  lockOffer(manager: EntityManager, id: string): Promise<WaitlistOfferEntity | null> {
    return manager.getRepository(WaitlistOfferEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Closes an open offer; false when it was not open any more. */
  async closeOffer(
    manager: EntityManager,
    id: string,
    change: { status: Exclude<OfferStatusWord, 'offered'>; at: Date; reason?: string; appointmentId?: string },
  ): Promise<boolean> {
    const result = await manager.query(
      `UPDATE waitlist_offers SET status = $2::varchar, responded_at = CASE WHEN $2::varchar IN ('accepted', 'declined') THEN $3::timestamptz END,
              closed_reason = $4, appointment_id = $5, hold_id = NULL
        WHERE id = $1 AND status = 'offered' RETURNING id`,
      [id, change.status, change.at, change.reason ?? null, change.appointmentId ?? null],
    );
    return returnedRows(result).length > 0;
  }

  /** The open offers of these patients (or of this entry), locked. */
  async lockOpenOffers(manager: EntityManager, filter: { patientIds?: string[]; entryId?: string }): Promise<WaitlistOfferEntity[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM waitlist_offers WHERE status = 'offered' AND (patient_id = ANY($1::uuid[]) OR entry_id = $2) ORDER BY id FOR UPDATE`,
      [filter.patientIds ?? [], filter.entryId ?? null],
    );
    if (rows.length === 0) return [];
    return manager.getRepository(WaitlistOfferEntity).find({ where: rows.map((r) => ({ id: r.id })) });
  }

  /** Open offers past their expiry (start-up clean-up). */
  async findDueOfferIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query(`SELECT id FROM waitlist_offers WHERE status = 'offered' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`, [
      now,
      limit,
    ]);
    return rows.map((r: { id: string }) => r.id);
  }

  /** Offers made at a clinic in [from, to), oldest first. */
  findOffersMade(locationId: string, from: Date, to: Date): Promise<WaitlistOfferEntity[]> {
    return this.dataSource
      .getRepository(WaitlistOfferEntity)
      .createQueryBuilder('o')
      .where('o.locationId = :locationId', { locationId })
      .andWhere('o.offeredAt >= :from AND o.offeredAt < :to', { from, to })
      .orderBy('o.offeredAt', 'ASC')
      .addOrderBy('o.createdAt', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(10_000)
      .getMany();
  }

  /** The patient's number and consent now (an offer goes only to a patient who accepts texts). */
  async findPatientContact(manager: EntityManager, patientId: string): Promise<{ phone: string; smsOptIn: boolean } | undefined> {
    const [row] = await manager.query(`SELECT phone, sms_opt_in AS "smsOptIn" FROM patients WHERE id = $1`, [patientId]);
    return row;
  }
}
