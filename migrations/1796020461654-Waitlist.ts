import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The waitlist: entries (treatment, clinics, dates, times of day, priority) and the offers that fill freed
 * slots, each holding its slot through resource_holds; one open offer per slot, per entry, per patient.
 */
export class Waitlist1796020461654 implements MigrationInterface {
  name = 'Waitlist1796020461654';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "waitlist_entries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "patient_id" uuid NOT NULL,
                "type" character varying(20) NOT NULL,
                "location_ids" uuid array NOT NULL,
                "from_date" date NOT NULL,
                "to_date" date NOT NULL,
                "windows" jsonb NOT NULL DEFAULT '[]',
                "priority" smallint NOT NULL DEFAULT '0',
                "status" character varying(10) NOT NULL DEFAULT 'active',
                "appointment_id" uuid,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "closed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "ck_waitlist_entries_locations" CHECK (
                    cardinality("location_ids") BETWEEN 1 AND 10
                ),
                CONSTRAINT "ck_waitlist_entries_dates" CHECK ("to_date" >= "from_date"),
                CONSTRAINT "ck_waitlist_entries_priority" CHECK (
                    "priority" BETWEEN 0 AND 9
                ),
                CONSTRAINT "ck_waitlist_entries_status" CHECK ("status" IN ('active', 'booked', 'removed')),
                CONSTRAINT "ck_waitlist_entries_type" CHECK ("type" IN ('spravato', 'ketamine', 'tms', 'ect')),
                CONSTRAINT "PK_bd0ef66fff81d3be7b7a1568a4d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_waitlist_entries_patient" ON "waitlist_entries" ("patient_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_waitlist_entries_queue" ON "waitlist_entries" ("type", "priority", "created_at")
            WHERE "status" = 'active'
        `);
    await queryRunner.query(`
            CREATE TABLE "waitlist_offers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "entry_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "location_id" uuid NOT NULL,
                "type" character varying(20) NOT NULL,
                "resource_id" uuid NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "hold_id" uuid,
                "status" character varying(10) NOT NULL,
                "freed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "offered_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "responded_at" TIMESTAMP WITH TIME ZONE,
                "closed_reason" character varying(200),
                "appointment_id" uuid,
                "source_appointment_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_waitlist_offers_status" CHECK (
                    "status" IN (
                        'offered',
                        'accepted',
                        'declined',
                        'expired',
                        'withdrawn'
                    )
                ),
                CONSTRAINT "PK_3d58236088bccae962fc10e058e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_waitlist_offers_expiry" ON "waitlist_offers" ("expires_at")
            WHERE "status" = 'offered'
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_waitlist_offers_offered" ON "waitlist_offers" ("location_id", "offered_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_waitlist_offers_slot" ON "waitlist_offers" ("location_id", "starts_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_waitlist_offers_open_patient" ON "waitlist_offers" ("patient_id")
            WHERE "status" = 'offered'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_waitlist_offers_open_entry" ON "waitlist_offers" ("entry_id")
            WHERE "status" = 'offered'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_waitlist_offers_open_slot" ON "waitlist_offers" ("resource_id", "starts_at")
            WHERE "status" = 'offered'
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_entries"
            ADD CONSTRAINT "fk_waitlist_entries_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers"
            ADD CONSTRAINT "fk_waitlist_offers_entry" FOREIGN KEY ("entry_id") REFERENCES "waitlist_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers"
            ADD CONSTRAINT "fk_waitlist_offers_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers"
            ADD CONSTRAINT "fk_waitlist_offers_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers"
            ADD CONSTRAINT "fk_waitlist_offers_resource" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers"
            ADD CONSTRAINT "fk_waitlist_offers_hold" FOREIGN KEY ("hold_id") REFERENCES "resource_holds"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers"
            ADD CONSTRAINT "fk_waitlist_offers_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers" DROP CONSTRAINT "fk_waitlist_offers_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers" DROP CONSTRAINT "fk_waitlist_offers_hold"
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers" DROP CONSTRAINT "fk_waitlist_offers_resource"
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers" DROP CONSTRAINT "fk_waitlist_offers_location"
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers" DROP CONSTRAINT "fk_waitlist_offers_patient"
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_offers" DROP CONSTRAINT "fk_waitlist_offers_entry"
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_entries" DROP CONSTRAINT "fk_waitlist_entries_patient"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_waitlist_offers_open_slot"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_waitlist_offers_open_entry"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_waitlist_offers_open_patient"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_waitlist_offers_slot"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_waitlist_offers_offered"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_waitlist_offers_expiry"
        `);
    await queryRunner.query(`
            DROP TABLE "waitlist_offers"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_waitlist_entries_queue"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_waitlist_entries_patient"
        `);
    await queryRunner.query(`
            DROP TABLE "waitlist_entries"
        `);
  }
}
