import { MigrationInterface, QueryRunner } from 'typeorm';

export class Courses1795308598391 implements MigrationInterface {
  name = 'Courses1795308598391';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "courses" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "patient_id" uuid NOT NULL,
                "protocol" character varying(40) NOT NULL,
                "treatment" character varying(20) NOT NULL,
                "location_id" uuid NOT NULL,
                "status" character varying(12) NOT NULL DEFAULT 'active',
                "start_date" date NOT NULL,
                "preferred_time" TIME NOT NULL,
                "total_sessions" integer NOT NULL,
                "settings" jsonb NOT NULL DEFAULT '{}',
                "override_reason" character varying(500),
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "cancel_reason" character varying(500),
                CONSTRAINT "ck_courses_total_sessions" CHECK ("total_sessions" > 0),
                CONSTRAINT "ck_courses_treatment" CHECK (
                    "treatment" IN ('spravato', 'ketamine', 'tms', 'ect')
                ),
                CONSTRAINT "ck_courses_status" CHECK ("status" IN ('active', 'cancelled', 'completed')),
                CONSTRAINT "PK_3f70a487cc718ad8eda4e6d58c9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_courses_patient_start" ON "courses" ("patient_id", "start_date")
        `);
    await queryRunner.query(`
            CREATE TABLE "course_flags" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "course_id" uuid NOT NULL,
                "appointment_id" uuid,
                "kind" character varying(30) NOT NULL,
                "detail" character varying(500) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_course_flags_kind" CHECK (
                    "kind" IN ('missed-maintenance', 'make-up-not-booked')
                ),
                CONSTRAINT "PK_dd983c3b1488547e2673420e5fb" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_course_flags_course" ON "course_flags" ("course_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "courses"
            ADD CONSTRAINT "fk_courses_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "courses"
            ADD CONSTRAINT "fk_courses_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Until now a course id was a free-form value no row backed: keep the appointments, drop the dangling reference.
    await queryRunner.query(`
            UPDATE "appointments" SET "course_id" = NULL WHERE "course_id" IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "fk_appointments_course" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "course_flags"
            ADD CONSTRAINT "fk_course_flags_course" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "course_flags"
            ADD CONSTRAINT "fk_course_flags_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "course_flags" DROP CONSTRAINT "fk_course_flags_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "course_flags" DROP CONSTRAINT "fk_course_flags_course"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "fk_appointments_course"
        `);
    await queryRunner.query(`
            ALTER TABLE "courses" DROP CONSTRAINT "fk_courses_location"
        `);
    await queryRunner.query(`
            ALTER TABLE "courses" DROP CONSTRAINT "fk_courses_patient"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_course_flags_course"
        `);
    await queryRunner.query(`
            DROP TABLE "course_flags"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_courses_patient_start"
        `);
    await queryRunner.query(`
            DROP TABLE "courses"
        `);
  }
}
