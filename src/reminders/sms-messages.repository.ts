import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import { DELIVERY_RANK } from './reminders.repository';
import { SmsMessageEntity, SmsPurpose, TextChoice } from './sms-message.entity';

export interface OutboxEntry {
  idempotencyKey: string;
  purpose: SmsPurpose;
  reminderId: string | null;
  to: string;
  body: string;
  /** What a reply to the text will be about (see SmsMessageEntity). */
  appointmentId?: string | null;
  offerId?: string | null;
  choices?: TextChoice[] | null;
}

/** The most recent text that asked the patient something, as a reply finds it. */
export interface Prompt {
  messageId: string;
  purpose: SmsPurpose;
  appointmentId: string | null;
  offerId: string | null;
  choices: TextChoice[] | null;
  sentAt: Date;
  answeredAt: Date | null;
}

export interface OutboxQuery {
  to?: string;
  /** The id of the previous page's last message. */
  afterId?: string;
  limit: number;
}

@Injectable()
export class SmsMessagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes the outbox rows of the messages about to be handed to the provider: new keys are inserted
   * as `sending`; a key whose last try failed is taken again. Returns the keys taken; a key not
   * returned was sent already or is being (or was being, before a crash) sent: it must not be sent.
   */
  async acquire(entries: OutboxEntry[], provider: string): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    const rows: Array<{ key: string }> = await this.dataSource.query(
      `INSERT INTO sms_messages (idempotency_key, purpose, reminder_id, to_number, body, provider, status, appointment_id, offer_id, choices)
       SELECT k, p, r, t, b, $6, 'sending', ap, o, c
         FROM unnest($1::varchar[], $2::varchar[], $3::uuid[], $4::varchar[], $5::text[], $7::uuid[], $8::uuid[], $9::jsonb[]) AS u(k, p, r, t, b, ap, o, c)
       ON CONFLICT (idempotency_key) DO UPDATE
          SET status = 'sending', attempts = sms_messages.attempts + 1, to_number = EXCLUDED.to_number, body = EXCLUDED.body,
              provider = EXCLUDED.provider, last_error = NULL, updated_at = now()
        WHERE sms_messages.status = 'failed'
       RETURNING idempotency_key AS key`,
      [
        entries.map((e) => e.idempotencyKey),
        entries.map((e) => e.purpose),
        entries.map((e) => e.reminderId),
        entries.map((e) => e.to),
        entries.map((e) => e.body),
        provider,
        entries.map((e) => e.appointmentId ?? null),
        entries.map((e) => e.offerId ?? null),
        entries.map((e) => (e.choices ? JSON.stringify(e.choices) : null)),
      ],
    );
    return new Set(rows.map((r) => r.key));
  }

  /**
   * The most recent text sent to this number since `since` that a reply can answer: an appointment's text
   * (a reminder, its confirmation or move), a list of times, an offer. Answers of ours (thank-you, HELP,
   * opt-out) ask nothing and are passed over.
   */
  async findLastPrompt(phone: string, since: Date, manager?: EntityManager): Promise<Prompt | undefined> {
    const [row] = await (manager ?? this.dataSource.manager).query(
      `SELECT m.id AS "messageId", m.purpose, coalesce(m.appointment_id, r.appointment_id) AS "appointmentId", m.offer_id AS "offerId",
              m.choices, m.sent_at AS "sentAt", m.answered_at AS "answeredAt"
         FROM sms_messages m LEFT JOIN reminders r ON r.id = m.reminder_id
        WHERE m.to_number = $1 AND m.status = 'sent' AND m.sent_at >= $2
          AND m.purpose IN ('reminder', 'reschedule_options', 'waitlist_offer')
        ORDER BY m.sent_at DESC, m.created_at DESC, m.id DESC
        LIMIT 1`,
      [phone, since],
    );
    return row;
  }

  /** The question of this text is answered (a time was picked): true when it was still open. */
  async markAnswered(manager: EntityManager, messageId: string, at: Date): Promise<boolean> {
    const result = await manager.query(`UPDATE sms_messages SET answered_at = $2, updated_at = now() WHERE id = $1 AND answered_at IS NULL RETURNING id`, [
      messageId,
      at,
    ]);
    return returnedRows(result).length > 0;
  }

  /** What became of earlier tries of these keys. */
  async findByKeys(keys: string[]): Promise<Array<{ key: string; status: string; providerMessageId: string | null }>> {
    if (keys.length === 0) return [];
    return this.dataSource.query(
      `SELECT idempotency_key AS key, status, provider_message_id AS "providerMessageId" FROM sms_messages WHERE idempotency_key = ANY($1::varchar[])`,
      [keys],
    );
  }

  async markSent(idempotencyKey: string, providerMessageId: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE sms_messages SET status = 'sent', provider_message_id = $2, sent_at = $3, last_error = NULL, updated_at = now() WHERE idempotency_key = $1`,
      [idempotencyKey, providerMessageId, now],
    );
  }

  async markFailed(idempotencyKey: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sms_messages SET status = 'failed', last_error = $2, updated_at = now() WHERE idempotency_key = $1 AND status = 'sending'`,
      [idempotencyKey, error.slice(0, 500)],
    );
  }

  /** A delivery report for a message (out-of-order reports never move it back). */
  async recordDeliveryStatus(providerMessageId: string, status: string, errorCode: string | null): Promise<number> {
    const result = await this.dataSource.query(
      `UPDATE sms_messages SET delivery_status = $2, delivery_error_code = coalesce($3, delivery_error_code), updated_at = now()
        WHERE provider_message_id = $1 AND ${DELIVERY_RANK('$2::varchar')} >= ${DELIVERY_RANK('delivery_status')}
        RETURNING id`,
      [providerMessageId, status, errorCode],
    );
    return returnedRows(result).length;
  }

  /** Oldest first; one number or all. */
  findPage(query: OutboxQuery): Promise<SmsMessageEntity[]> {
    const qb = this.dataSource.getRepository(SmsMessageEntity).createQueryBuilder('m');
    if (query.to) qb.andWhere('m.toNumber = :to', { to: query.to });
    if (query.afterId) {
      qb.andWhere('(m.createdAt, m.id) > (SELECT c.created_at, c.id FROM sms_messages c WHERE c.id = :afterId)', { afterId: query.afterId });
    }
    return qb.orderBy('m.createdAt', 'ASC').addOrderBy('m.id', 'ASC').limit(query.limit).getMany();
  }
}
