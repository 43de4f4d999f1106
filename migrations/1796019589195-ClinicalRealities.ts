import { MigrationInterface, QueryRunner } from 'typeorm';

export class ClinicalRealities1796019589195 implements MigrationInterface {
  name = 'ClinicalRealities1796019589195';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "course_outcomes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "course_id" uuid NOT NULL,
                "scale" character varying(10) NOT NULL,
                "score" smallint NOT NULL,
                "taken_on" date NOT NULL,
                "appointment_id" uuid,
                "recorded_by" uuid,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_course_outcomes_score" CHECK (
                    (
                        "scale" = 'phq9'
                        AND "score" BETWEEN 0 AND 27
                    )
                    OR (
                        "scale" = 'madrs'
                        AND "score" BETWEEN 0 AND 60
                    )
                    OR (
                        "scale" = 'hamd17'
                        AND "score" BETWEEN 0 AND 52
                    )
                ),
                CONSTRAINT "ck_course_outcomes_scale" CHECK ("scale" IN ('phq9', 'madrs', 'hamd17')),
                CONSTRAINT "PK_3260a7d920afb35f3f40aeb805b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_course_outcomes_course" ON "course_outcomes" ("course_id", "taken_on")
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD "cadss_ceiling" smallint
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD "motor_threshold_interval_days" smallint NOT NULL DEFAULT '7'
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD "ketamine_booster_min_weeks" smallint NOT NULL DEFAULT '4'
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD "ketamine_booster_max_weeks" smallint NOT NULL DEFAULT '6'
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD "accelerated_tms_mri" character varying(10) NOT NULL DEFAULT 'warn'
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD "discharge_margin_minutes" smallint NOT NULL DEFAULT '10'
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD "holiday_openings" date array NOT NULL DEFAULT '{}'
        `);
    await queryRunner.query(`
            ALTER TABLE "patients"
            ADD "mri_date" date
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD "treatment_day" date
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD "day_group" character varying(10)
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals"
            ADD "dissociation_resolved" boolean
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals"
            ADD "deviation_reason" character varying(500)
        `);
    // The daily limit of every treatment already booked. A day that already holds two (booked before the
    // rule) keeps the first in the index and leaves the others out of it rather than fail the migration.
    await queryRunner.query(`
            UPDATE "appointments" a
               SET "treatment_day" = (a."starts_at" AT TIME ZONE l."timezone")::date,
                   "day_group" = CASE
                       WHEN a."type" IN ('spravato', 'ketamine', 'ect') THEN 'treatment'
                       WHEN NOT EXISTS (SELECT 1 FROM "courses" c WHERE c."id" = a."course_id" AND c."protocol" = 'tms-accelerated') THEN 'tms'
                   END
              FROM "locations" l
             WHERE l."id" = a."location_id" AND a."type" IN ('spravato', 'ketamine', 'ect', 'tms')
        `);
    await queryRunner.query(`
            UPDATE "appointments" a SET "day_group" = NULL
             WHERE a."day_group" IS NOT NULL AND a."status" NOT IN ('cancelled', 'no_show')
               AND EXISTS (
                   SELECT 1 FROM "appointments" b
                    WHERE b."patient_id" = a."patient_id" AND b."day_group" = a."day_group" AND b."treatment_day" = a."treatment_day"
                      AND b."status" NOT IN ('cancelled', 'no_show') AND (b."starts_at", b."id") < (a."starts_at", a."id"))
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_appointments_patient_treatment_day" ON "appointments" ("patient_id", "day_group", "treatment_day")
            WHERE "day_group" IS NOT NULL
                AND "status" NOT IN ('cancelled', 'no_show')
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD CONSTRAINT "ck_locations_discharge_margin" CHECK (
                    "discharge_margin_minutes" BETWEEN 0 AND 120
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD CONSTRAINT "ck_locations_accelerated_tms_mri" CHECK ("accelerated_tms_mri" IN ('warn', 'refuse'))
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD CONSTRAINT "ck_locations_ketamine_booster_weeks" CHECK (
                    "ketamine_booster_min_weeks" BETWEEN 1 AND 52
                    AND "ketamine_booster_max_weeks" BETWEEN "ketamine_booster_min_weeks" AND 52
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD CONSTRAINT "ck_locations_motor_threshold_interval" CHECK (
                    "motor_threshold_interval_days" BETWEEN 1 AND 90
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "locations"
            ADD CONSTRAINT "ck_locations_cadss_ceiling" CHECK (
                    "cadss_ceiling" BETWEEN 0 AND 92
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "ck_appointments_day_group" CHECK (
                    "day_group" IN ('treatment', 'tms')
                    AND "treatment_day" IS NOT NULL
                    OR "day_group" IS NULL
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "course_outcomes"
            ADD CONSTRAINT "fk_course_outcomes_course" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "course_outcomes"
            ADD CONSTRAINT "fk_course_outcomes_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "course_outcomes"
            ADD CONSTRAINT "fk_course_outcomes_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Texts held while the clinic is closed on the appointment's day.
    await queryRunner.query(`ALTER TABLE "reminders" DROP CONSTRAINT "ck_reminders_status"`);
    await queryRunner.query(`
            ALTER TABLE "reminders"
            ADD CONSTRAINT "ck_reminders_status" CHECK ("status" IN ('pending', 'sent', 'failed', 'cancelled', 'suppressed', 'held'))
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "reminders" SET "status" = 'pending' WHERE "status" = 'held'`);
    await queryRunner.query(`ALTER TABLE "reminders" DROP CONSTRAINT "ck_reminders_status"`);
    await queryRunner.query(`
            ALTER TABLE "reminders"
            ADD CONSTRAINT "ck_reminders_status" CHECK ("status" IN ('pending', 'sent', 'failed', 'cancelled', 'suppressed'))
        `);
    await queryRunner.query(`
            ALTER TABLE "course_outcomes" DROP CONSTRAINT "fk_course_outcomes_recorded_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "course_outcomes" DROP CONSTRAINT "fk_course_outcomes_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "course_outcomes" DROP CONSTRAINT "fk_course_outcomes_course"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "ck_appointments_day_group"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP CONSTRAINT "ck_locations_cadss_ceiling"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP CONSTRAINT "ck_locations_motor_threshold_interval"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP CONSTRAINT "ck_locations_ketamine_booster_weeks"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP CONSTRAINT "ck_locations_accelerated_tms_mri"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP CONSTRAINT "ck_locations_discharge_margin"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_appointments_patient_treatment_day"
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals" DROP COLUMN "deviation_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals" DROP COLUMN "dissociation_resolved"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP COLUMN "day_group"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP COLUMN "treatment_day"
        `);
    await queryRunner.query(`
            ALTER TABLE "patients" DROP COLUMN "mri_date"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP COLUMN "holiday_openings"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP COLUMN "discharge_margin_minutes"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP COLUMN "accelerated_tms_mri"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP COLUMN "ketamine_booster_max_weeks"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP COLUMN "ketamine_booster_min_weeks"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP COLUMN "motor_threshold_interval_days"
        `);
    await queryRunner.query(`
            ALTER TABLE "locations" DROP COLUMN "cadss_ceiling"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_course_outcomes_course"
        `);
    await queryRunner.query(`
            DROP TABLE "course_outcomes"
        `);
  }
}
