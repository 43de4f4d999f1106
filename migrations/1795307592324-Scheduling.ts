import { MigrationInterface, QueryRunner } from 'typeorm';

export class Scheduling1795307592324 implements MigrationInterface {
  name = 'Scheduling1795307592324';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "patients" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "first_name" character varying(100) NOT NULL,
                "last_name" character varying(100) NOT NULL,
                "date_of_birth" date NOT NULL,
                "phone" character varying(16) NOT NULL,
                "sms_opt_in" boolean NOT NULL DEFAULT false,
                "preferred_location_id" uuid,
                "rems_enrolled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a7f0b9fcbb3469d5ec0b0aceaa7" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_patients_phone" ON "patients" ("phone")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_patients_name" ON "patients" ("last_name", "first_name")
        `);
    await queryRunner.query(`
            CREATE TABLE "appointments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "patient_id" uuid NOT NULL,
                "type" character varying(20) NOT NULL,
                "status" character varying(20) NOT NULL DEFAULT 'scheduled',
                "mode" character varying(12) NOT NULL DEFAULT 'inPerson',
                "location_id" uuid NOT NULL,
                "resource_id" uuid,
                "provider_id" uuid,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "occupancy_starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "occupancy_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "observation_starts_at" TIMESTAMP WITH TIME ZONE,
                "observation_ends_at" TIMESTAMP WITH TIME ZONE,
                "course_id" uuid,
                "sequence" integer,
                "earliest_discharge_at" TIMESTAMP WITH TIME ZONE,
                "cancel_reason" character varying(500),
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_appointments_times" CHECK (
                    "ends_at" > "starts_at"
                    AND "occupancy_ends_at" > "occupancy_starts_at"
                ),
                CONSTRAINT "ck_appointments_mode" CHECK ("mode" IN ('inPerson', 'telehealth')),
                CONSTRAINT "ck_appointments_status" CHECK (
                    "status" IN (
                        'scheduled',
                        'checked_in',
                        'in_treatment',
                        'observing',
                        'discharged',
                        'cancelled',
                        'no_show'
                    )
                ),
                CONSTRAINT "ck_appointments_type" CHECK (
                    "type" IN (
                        'spravato',
                        'ketamine',
                        'tms',
                        'ect',
                        'intake',
                        'follow_up'
                    )
                ),
                CONSTRAINT "ex_appointments_provider_overlap" EXCLUDE USING gist (
                    "provider_id" WITH =,
                    tstzrange("starts_at", "ends_at", '[)') WITH &&
                )
                WHERE (
                        "provider_id" IS NOT NULL
                        AND "status" NOT IN ('cancelled', 'no_show')
                    ),
                    CONSTRAINT "ex_appointments_patient_overlap" EXCLUDE USING gist (
                        "patient_id" WITH =,
                        tstzrange("occupancy_starts_at", "occupancy_ends_at", '[)') WITH &&
                    )
                WHERE ("status" NOT IN ('cancelled', 'no_show')),
                    CONSTRAINT "PK_4a437a9a27e948726b8bb3e36ad" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_appointments_location_observation" ON "appointments" ("location_id", "observation_starts_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_appointments_patient_start" ON "appointments" ("patient_id", "starts_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_appointments_location_start" ON "appointments" ("location_id", "starts_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "appointment_segments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "resource_id" uuid NOT NULL,
                "kind" character varying(12) NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                CONSTRAINT "ck_appointment_segments_times" CHECK ("ends_at" > "starts_at"),
                CONSTRAINT "ck_appointment_segments_kind" CHECK ("kind" IN ('treatment', 'recovery')),
                CONSTRAINT "ex_segments_resource_overlap" EXCLUDE USING gist (
                    "resource_id" WITH =,
                    tstzrange("starts_at", "ends_at", '[)') WITH &&
                )
                WHERE ("active"),
                    CONSTRAINT "PK_c9254c7c6791e28324a7d19fc92" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_appointment_segments_appointment" ON "appointment_segments" ("appointment_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "actor_id" uuid NOT NULL,
                "key" character varying(200) NOT NULL,
                "scope" character varying(300) NOT NULL,
                "request_hash" character(64) NOT NULL,
                "status_code" integer,
                "response" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8a5af0c11ea21dd7a2593421498" PRIMARY KEY ("actor_id", "key")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_idempotency_keys_created" ON "idempotency_keys" ("created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "closures" (
                "location_id" uuid NOT NULL,
                "date" date NOT NULL,
                "reason" character varying(200) NOT NULL,
                CONSTRAINT "PK_b2ffffc4357f28e707bb6c09860" PRIMARY KEY ("location_id", "date")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "authorizations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "patient_id" uuid NOT NULL,
                "payer" character varying(120) NOT NULL,
                "treatment" character varying(20) NOT NULL,
                "approved_sessions" integer NOT NULL,
                "valid_from" date NOT NULL,
                "valid_to" date NOT NULL,
                "required_failed_trials" integer NOT NULL DEFAULT '2',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_authorizations_trials" CHECK ("required_failed_trials" >= 0),
                CONSTRAINT "ck_authorizations_window" CHECK ("valid_to" >= "valid_from"),
                CONSTRAINT "ck_authorizations_sessions" CHECK ("approved_sessions" > 0),
                CONSTRAINT "ck_authorizations_treatment" CHECK (
                    "treatment" IN ('spravato', 'ketamine', 'tms', 'ect')
                ),
                CONSTRAINT "PK_03e79e63bef1d024d38b8556b8c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_authorizations_patient_treatment" ON "authorizations" ("patient_id", "treatment")
        `);
    await queryRunner.query(`
            CREATE TABLE "medication_trials" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "patient_id" uuid NOT NULL,
                "medication" character varying(100) NOT NULL,
                "drug_class" character varying(60) NOT NULL,
                "started_on" date NOT NULL,
                "weeks" integer NOT NULL,
                "adequate" boolean NOT NULL,
                "outcome" character varying(20) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_medication_trials_weeks" CHECK ("weeks" >= 0),
                CONSTRAINT "ck_medication_trials_outcome" CHECK (
                    "outcome" IN (
                        'no_response',
                        'partial_response',
                        'intolerant',
                        'response'
                    )
                ),
                CONSTRAINT "PK_fb08e7c1c1a4f9713e0c5c2a354" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_medication_trials_patient" ON "medication_trials" ("patient_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "staff_shifts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "staff_id" uuid NOT NULL,
                "location_id" uuid NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "ck_staff_shifts_order" CHECK ("ends_at" > "starts_at"),
                CONSTRAINT "ex_staff_shifts_overlap" EXCLUDE USING gist (
                    "staff_id" WITH =,
                    tstzrange("starts_at", "ends_at", '[)') WITH &&
                ),
                CONSTRAINT "PK_7861d1bb0a4252ed8d3f5107656" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_staff_shifts_location_time" ON "staff_shifts" ("location_id", "starts_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "patients"
            ADD CONSTRAINT "fk_patients_preferred_location" FOREIGN KEY ("preferred_location_id") REFERENCES "locations"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "fk_appointments_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "fk_appointments_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "fk_appointments_resource" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "fk_appointments_provider" FOREIGN KEY ("provider_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments"
            ADD CONSTRAINT "fk_appointment_segments_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments"
            ADD CONSTRAINT "fk_appointment_segments_resource" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "closures"
            ADD CONSTRAINT "fk_closures_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "authorizations"
            ADD CONSTRAINT "fk_authorizations_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "medication_trials"
            ADD CONSTRAINT "fk_medication_trials_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_shifts"
            ADD CONSTRAINT "fk_staff_shifts_staff" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_shifts"
            ADD CONSTRAINT "fk_staff_shifts_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "staff_shifts" DROP CONSTRAINT "fk_staff_shifts_location"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_shifts" DROP CONSTRAINT "fk_staff_shifts_staff"
        `);
    await queryRunner.query(`
            ALTER TABLE "medication_trials" DROP CONSTRAINT "fk_medication_trials_patient"
        `);
    await queryRunner.query(`
            ALTER TABLE "authorizations" DROP CONSTRAINT "fk_authorizations_patient"
        `);
    await queryRunner.query(`
            ALTER TABLE "closures" DROP CONSTRAINT "fk_closures_location"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments" DROP CONSTRAINT "fk_appointment_segments_resource"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_segments" DROP CONSTRAINT "fk_appointment_segments_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "fk_appointments_provider"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "fk_appointments_resource"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "fk_appointments_location"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "fk_appointments_patient"
        `);
    await queryRunner.query(`
            ALTER TABLE "patients" DROP CONSTRAINT "fk_patients_preferred_location"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_staff_shifts_location_time"
        `);
    await queryRunner.query(`
            DROP TABLE "staff_shifts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_medication_trials_patient"
        `);
    await queryRunner.query(`
            DROP TABLE "medication_trials"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_authorizations_patient_treatment"
        `);
    await queryRunner.query(`
            DROP TABLE "authorizations"
        `);
    await queryRunner.query(`
            DROP TABLE "closures"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_idempotency_keys_created"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_keys"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_appointment_segments_appointment"
        `);
    await queryRunner.query(`
            DROP TABLE "appointment_segments"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_appointments_location_start"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_appointments_patient_start"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_appointments_location_observation"
        `);
    await queryRunner.query(`
            DROP TABLE "appointments"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_patients_name"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_patients_phone"
        `);
    await queryRunner.query(`
            DROP TABLE "patients"
        `);
  }
}
