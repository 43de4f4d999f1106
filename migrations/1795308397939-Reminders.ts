import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reminders1795308397939 implements MigrationInterface {
  name = 'Reminders1795308397939';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "reminders" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "kind" character varying(30) NOT NULL,
                "send_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status" character varying(20) NOT NULL,
                "body" text NOT NULL,
                "daily_key" date,
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE,
                "lease_until" TIMESTAMP WITH TIME ZONE,
                "claimed_by" character varying(100),
                "provider_message_id" character varying(64),
                "last_error" character varying(500),
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "delivery_status" character varying(20),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_reminders_attempts" CHECK ("attempts" >= 0),
                CONSTRAINT "ck_reminders_status" CHECK (
                    "status" IN (
                        'pending',
                        'sent',
                        'failed',
                        'cancelled',
                        'suppressed'
                    )
                ),
                CONSTRAINT "PK_38715fec7f634b72c6cf7ea4893" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_reminders_patient_daily_suppressed" ON "reminders" ("patient_id", "daily_key")
            WHERE "daily_key" IS NOT NULL
                AND "status" = 'suppressed'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_reminders_patient_daily" ON "reminders" ("patient_id", "daily_key")
            WHERE "daily_key" IS NOT NULL
                AND "status" IN ('pending', 'sent')
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_reminders_provider_message" ON "reminders" ("provider_message_id")
            WHERE "provider_message_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_reminders_due" ON "reminders" ("send_at")
            WHERE "status" = 'pending'
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_reminders_patient" ON "reminders" ("patient_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_reminders_appointment" ON "reminders" ("appointment_id", "send_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "sms_consent_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "patient_id" uuid NOT NULL,
                "event" character varying(10) NOT NULL,
                "keyword" character varying(10) NOT NULL,
                "inbound_message_sid" character varying(64),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_sms_consent_events_event" CHECK ("event" IN ('opt_out', 'opt_in')),
                CONSTRAINT "PK_9d0ed912383f49d747b2f38ee74" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_sms_consent_events_patient" ON "sms_consent_events" ("patient_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "sms_messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "idempotency_key" character varying(120) NOT NULL,
                "purpose" character varying(24) NOT NULL,
                "reminder_id" uuid,
                "to_number" character varying(16) NOT NULL,
                "body" text NOT NULL,
                "provider" character varying(20) NOT NULL,
                "status" character varying(10) NOT NULL,
                "provider_message_id" character varying(64),
                "attempts" integer NOT NULL DEFAULT '1',
                "last_error" character varying(500),
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "delivery_status" character varying(20),
                "delivery_error_code" character varying(10),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_sms_messages_purpose" CHECK (
                    "purpose" IN (
                        'reminder',
                        'opt_out_confirmation',
                        'opt_in_confirmation',
                        'help'
                    )
                ),
                CONSTRAINT "ck_sms_messages_status" CHECK ("status" IN ('sending', 'sent', 'failed')),
                CONSTRAINT "PK_6d4cfef86e93e3fde23954d11bc" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_sms_messages_provider_message" ON "sms_messages" ("provider_message_id")
            WHERE "provider_message_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_sms_messages_created" ON "sms_messages" ("created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_sms_messages_to" ON "sms_messages" ("to_number", "created_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_sms_messages_idempotency_key" ON "sms_messages" ("idempotency_key")
        `);
    await queryRunner.query(`
            ALTER TABLE "reminders"
            ADD CONSTRAINT "fk_reminders_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "reminders"
            ADD CONSTRAINT "fk_reminders_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_consent_events"
            ADD CONSTRAINT "fk_sms_consent_events_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_messages"
            ADD CONSTRAINT "fk_sms_messages_reminder" FOREIGN KEY ("reminder_id") REFERENCES "reminders"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sms_messages" DROP CONSTRAINT "fk_sms_messages_reminder"
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_consent_events" DROP CONSTRAINT "fk_sms_consent_events_patient"
        `);
    await queryRunner.query(`
            ALTER TABLE "reminders" DROP CONSTRAINT "fk_reminders_patient"
        `);
    await queryRunner.query(`
            ALTER TABLE "reminders" DROP CONSTRAINT "fk_reminders_appointment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_sms_messages_idempotency_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_sms_messages_to"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_sms_messages_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_sms_messages_provider_message"
        `);
    await queryRunner.query(`
            DROP TABLE "sms_messages"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_sms_consent_events_patient"
        `);
    await queryRunner.query(`
            DROP TABLE "sms_consent_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_reminders_appointment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_reminders_patient"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_reminders_due"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_reminders_provider_message"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_reminders_patient_daily"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_reminders_patient_daily_suppressed"
        `);
    await queryRunner.query(`
            DROP TABLE "reminders"
        `);
  }
}
