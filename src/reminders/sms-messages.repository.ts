import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import { DELIVERY_RANK } from './reminders.repository';
import { SmsMessageEntity, SmsPurpose } from './sms-message.entity';

export interface OutboxEntry {
  idempotencyKey: string;
  purpose: SmsPurpose;
  reminderId: string | null;
  to: string;
  body: string;
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
      `INSERT INTO sms_messages (idempotency_key, purpose, reminder_id, to_number, body, provider, status)
       SELECT k, p, r, t, b, $6, 'sending' FROM unnest($1::varchar[], $2::varchar[], $3::uuid[], $4::varchar[], $5::text[]) AS u(k, p, r, t, b)
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
      ],
    );
    return new Set(rows.map((r) => r.key));
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
