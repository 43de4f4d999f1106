import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Patients' texts are processed once (their provider ids are unique), and our texts remember what a reply
 * to them is about (an appointment, a waitlist offer, numbered times). TypeORM does not see a changed CHECK,
 * so the new purposes of sms_messages are written by hand.
 */
export class InboundOnce1796019379749 implements MigrationInterface {
  name = 'InboundOnce1796019379749';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "sms_inbound_messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "message_sid" character varying(64),
                "from_number" character varying(40) NOT NULL,
                "body" character varying(1600) NOT NULL,
                "intent" character varying(20),
                "outcome" character varying(40),
                "answer" jsonb,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_a129df421c8a73d42d364f8d454" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_sms_inbound_messages_from" ON "sms_inbound_messages" ("from_number", "received_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_sms_inbound_messages_sid" ON "sms_inbound_messages" ("message_sid")
            WHERE "message_sid" IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages"
            ADD "appointment_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages"
            ADD "offer_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages"
            ADD "choices" jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages"
            ADD "answered_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_sms_messages_to_sent" ON "sms_messages" ("to_number", "sent_at")
            WHERE "status" = 'sent'
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages"
            ADD CONSTRAINT "fk_sms_messages_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`ALTER TABLE "sms_messages" DROP CONSTRAINT "ck_sms_messages_purpose"`);
    await queryRunner.query(`
            ALTER TABLE "sms_messages"
            ADD CONSTRAINT "ck_sms_messages_purpose" CHECK (
                "purpose" IN ('reminder', 'opt_out_confirmation', 'opt_in_confirmation', 'help', 'reply', 'reschedule_options', 'waitlist_offer')
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "sms_messages" WHERE "purpose" IN ('reply', 'reschedule_options', 'waitlist_offer')`);
    await queryRunner.query(`ALTER TABLE "sms_messages" DROP CONSTRAINT "ck_sms_messages_purpose"`);
    await queryRunner.query(`
            ALTER TABLE "sms_messages"
            ADD CONSTRAINT "ck_sms_messages_purpose" CHECK ("purpose" IN ('reminder', 'opt_out_confirmation', 'opt_in_confirmation', 'help'))
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages" DROP CONSTRAINT "fk_sms_messages_appointment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_sms_messages_to_sent"
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages" DROP COLUMN "answered_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages" DROP COLUMN "choices"
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages" DROP COLUMN "offer_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages" DROP COLUMN "appointment_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_sms_inbound_messages_sid"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_sms_inbound_messages_from"
        `);
    await queryRunner.query(`
            DROP TABLE "sms_inbound_messages"
        `);
  }
}
