import { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1796019433586 implements MigrationInterface {
  name = 'Webhooks1796019433586';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "webhook_events" (
                "id" uuid NOT NULL,
                "type" character varying(40) NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "payload" jsonb NOT NULL,
                CONSTRAINT "PK_4cba37e6a0acb5e1fc49c34ebfd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_webhook_events_occurred" ON "webhook_events" ("occurred_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_subscriptions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "url" character varying(2000) NOT NULL,
                "events" character varying(40) array NOT NULL,
                "secret" character varying(100) NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "ck_webhook_subscriptions_events" CHECK (cardinality("events") > 0),
                CONSTRAINT "PK_bf631ae77d39849d599817fb6f4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_deliveries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "subscription_id" uuid NOT NULL,
                "event_id" uuid NOT NULL,
                "status" character varying(12) NOT NULL,
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "lease_until" TIMESTAMP WITH TIME ZONE,
                "leased_by" character varying(100),
                "last_attempt_at" TIMESTAMP WITH TIME ZONE,
                "last_status_code" integer,
                "last_error" character varying(500),
                "delivered_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "ck_webhook_deliveries_attempts" CHECK ("attempts" >= 0),
                CONSTRAINT "ck_webhook_deliveries_status" CHECK (
                    "status" IN ('pending', 'delivered', 'failed', 'cancelled')
                ),
                CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_webhook_deliveries_log" ON "webhook_deliveries" ("subscription_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_webhook_deliveries_due" ON "webhook_deliveries" ("next_attempt_at")
            WHERE "status" = 'pending'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_webhook_deliveries_subscription_event" ON "webhook_deliveries" ("subscription_id", "event_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_delivery_attempts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "delivery_id" uuid NOT NULL,
                "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status_code" integer,
                "error" character varying(500),
                "duration_ms" integer NOT NULL,
                CONSTRAINT "PK_59ef9124585b56c18b98548a0c6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_webhook_delivery_attempts_delivery" ON "webhook_delivery_attempts" ("delivery_id", "attempted_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_subscriptions"
            ADD CONSTRAINT "fk_webhook_subscriptions_created_by" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "fk_webhook_deliveries_subscription" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "fk_webhook_deliveries_event" FOREIGN KEY ("event_id") REFERENCES "webhook_events"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery_attempts"
            ADD CONSTRAINT "fk_webhook_delivery_attempts_delivery" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery_attempts" DROP CONSTRAINT "fk_webhook_delivery_attempts_delivery"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "fk_webhook_deliveries_event"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "fk_webhook_deliveries_subscription"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_subscriptions" DROP CONSTRAINT "fk_webhook_subscriptions_created_by"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_webhook_delivery_attempts_delivery"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_delivery_attempts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_webhook_deliveries_subscription_event"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_webhook_deliveries_due"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_webhook_deliveries_log"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_deliveries"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_subscriptions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_webhook_events_occurred"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_events"
        `);
  }
}
