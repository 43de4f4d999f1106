import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Holds: a slot kept for a while (a waitlist offer) occupies its resources as rows of appointment_segments
 * with a hold_id instead of an appointment_id, under the same exclusion constraint as bookings. Appointments
 * remember a confirmation or a reschedule request sent by text.
 */
export class ResourceHolds1796019634126 implements MigrationInterface {
  name = 'ResourceHolds1796019634126';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "resource_holds" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "location_id" uuid NOT NULL,
                "patient_id" uuid,
                "reason" character varying(40) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_596726d7986b453c444ffb77943" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_resource_holds_patient" ON "resource_holds" ("patient_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_resource_holds_expires" ON "resource_holds" ("expires_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD "confirmed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD "reschedule_requested_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments"
            ADD "hold_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments"
            ADD "expires_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments"
            ALTER COLUMN "appointment_id" DROP NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_appointment_segments_hold" ON "appointment_segments" ("hold_id")
            WHERE "hold_id" IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments"
            ADD CONSTRAINT "ck_appointment_segments_owner" CHECK (
                    (
                        ("appointment_id" IS NULL) <> ("hold_id" IS NULL)
                    )
                    AND (("hold_id" IS NULL) = ("expires_at" IS NULL))
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_holds"
            ADD CONSTRAINT "fk_resource_holds_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_holds"
            ADD CONSTRAINT "fk_resource_holds_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments"
            ADD CONSTRAINT "fk_appointment_segments_hold" FOREIGN KEY ("hold_id") REFERENCES "resource_holds"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "appointment_segments" DROP CONSTRAINT "fk_appointment_segments_hold"
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_holds" DROP CONSTRAINT "fk_resource_holds_patient"
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_holds" DROP CONSTRAINT "fk_resource_holds_location"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments" DROP CONSTRAINT "ck_appointment_segments_owner"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_appointment_segments_hold"
        `);
    await queryRunner.query(`DELETE FROM "appointment_segments" WHERE "hold_id" IS NOT NULL`);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments"
            ALTER COLUMN "appointment_id"
            SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments" DROP COLUMN "expires_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments" DROP COLUMN "hold_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP COLUMN "reschedule_requested_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP COLUMN "confirmed_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_resource_holds_expires"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_resource_holds_patient"
        `);
    await queryRunner.query(`
            DROP TABLE "resource_holds"
        `);
  }
}
