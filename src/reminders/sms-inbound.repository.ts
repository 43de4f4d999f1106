import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SmsInboundMessageEntity, StoredAnswer } from './sms-inbound-message.entity';

export interface NewInboundMessage {
  messageSid: string | null;
  from: string;
  body: string;
  receivedAt: Date;
}

/** The texts patients sent us, each processed once. */
@Injectable()
export class SmsInboundRepository {
  /**
   * Records a message before it is acted on, in the transaction that acts on it: its id, or undefined when
   * a message with this provider id was recorded before (a replay: it must change nothing).
   */
  async claim(manager: EntityManager, message: NewInboundMessage): Promise<string | undefined> {
    const [row] = await manager.query(
      `INSERT INTO sms_inbound_messages (message_sid, from_number, body, received_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (message_sid) WHERE message_sid IS NOT NULL DO NOTHING
       RETURNING id`,
      [message.messageSid, message.from, message.body, message.receivedAt],
    );
    return row?.id;
  }

  async findBySid(manager: EntityManager, messageSid: string): Promise<SmsInboundMessageEntity | null> {
    return manager.getRepository(SmsInboundMessageEntity).findOne({ where: { messageSid } });
  }

  async recordOutcome(manager: EntityManager, id: string, intent: string | null, outcome: string, answer: StoredAnswer | null): Promise<void> {
    await manager.query(`UPDATE sms_inbound_messages SET intent = $2, outcome = $3, answer = $4 WHERE id = $1`, [
      id,
      intent,
      outcome,
      answer ? JSON.stringify(answer) : null,
    ]);
  }
}
