import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables the session workflow only ever inserts into. */
const APPEND_ONLY = ['session_events', 'vitals', 'doses', 'dosing_clearances', 'tms_records'];

export class SessionWorkflow1795308384329 implements MigrationInterface {
  name = 'SessionWorkflow1795308384329';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "doses" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "dose_mg" smallint NOT NULL,
                "devices" smallint NOT NULL,
                "lot_number" character varying(40) NOT NULL,
                "device_times" TIMESTAMP WITH TIME ZONE array NOT NULL,
                "administered_by" uuid,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "ck_doses_device_times" CHECK (cardinality("device_times") = "devices"),
                CONSTRAINT "ck_doses_amount" CHECK (
                    "dose_mg" IN (56, 84)
                    AND "devices" * 28 = "dose_mg"
                ),
                CONSTRAINT "PK_6bb26e98368b4b9690980e7b7d1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_doses_appointment" ON "doses" ("appointment_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "vitals" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "timepoint" character varying(20) NOT NULL,
                "taken_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "systolic" smallint NOT NULL,
                "diastolic" smallint NOT NULL,
                "heart_rate" smallint NOT NULL,
                "spo2" smallint NOT NULL,
                "respiratory_rate" smallint,
                "sedation_score" smallint,
                "dissociation_score" smallint,
                "notes" character varying(1000),
                "corrects_id" uuid,
                "recorded_by" uuid,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "ck_vitals_dissociation" CHECK (
                    "dissociation_score" BETWEEN 0 AND 92
                ),
                CONSTRAINT "ck_vitals_sedation" CHECK (
                    "sedation_score" BETWEEN 0 AND 5
                ),
                CONSTRAINT "ck_vitals_respiratory_rate" CHECK (
                    "respiratory_rate" BETWEEN 4 AND 60
                ),
                CONSTRAINT "ck_vitals_spo2" CHECK (
                    "spo2" BETWEEN 50 AND 100
                ),
                CONSTRAINT "ck_vitals_heart_rate" CHECK (
                    "heart_rate" BETWEEN 20 AND 250
                ),
                CONSTRAINT "ck_vitals_bp" CHECK (
                    "systolic" BETWEEN 50 AND 300
                    AND "diastolic" BETWEEN 20 AND 200
                    AND "diastolic" < "systolic"
                ),
                CONSTRAINT "ck_vitals_timepoint" CHECK (
                    "timepoint" IN (
                        'pre_dose',
                        'post_dose_40',
                        'intra',
                        'discharge',
                        'other'
                    )
                ),
                CONSTRAINT "PK_a6f02e68a2c1766b720d065dfd8" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_vitals_corrects" ON "vitals" ("corrects_id")
            WHERE "corrects_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_vitals_appointment_taken" ON "vitals" ("appointment_id", "taken_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "dosing_clearances" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "vitals_id" uuid NOT NULL,
                "reason" character varying(1000) NOT NULL,
                "cleared_by" uuid,
                "cleared_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_858e6dcbbf321c34d6ff524a3c9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_dosing_clearances_vitals" ON "dosing_clearances" ("vitals_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_dosing_clearances_appointment" ON "dosing_clearances" ("appointment_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "rems_forms" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "concomitant_sedating_medications" text array,
                "respiratory_depression" boolean,
                "serious_adverse_events" boolean,
                "serious_adverse_events_description" character varying(2000),
                "ready_to_leave_at" TIMESTAMP WITH TIME ZONE,
                "vitals_acceptable_before" boolean,
                "vitals_acceptable_at_end" boolean,
                "updated_by" uuid,
                "updated_at" TIMESTAMP WITH TIME ZONE,
                "submitted_by" uuid,
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "submitted_form" jsonb,
                CONSTRAINT "ck_rems_forms_submitted" CHECK (
                    ("submitted_at" IS NULL) = ("submitted_by" IS NULL)
                    AND ("submitted_at" IS NULL) = ("submitted_form" IS NULL)
                ),
                CONSTRAINT "ck_rems_forms_medications" CHECK (
                    "concomitant_sedating_medications" <@ ARRAY ['benzodiazepine', 'sedative_hypnotic', 'psychostimulant', 'maoi', 'opioid']::text []
                ),
                CONSTRAINT "PK_3169c1d7f2bd1fc3e9a88b0e792" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_rems_forms_pending_due" ON "rems_forms" ("due_at")
            WHERE "submitted_at" IS NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_rems_forms_appointment" ON "rems_forms" ("appointment_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "session_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "kind" character varying(20) NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "recorded_by" uuid,
                "ride_confirmed" boolean,
                "ride_share" boolean,
                "escort_name" character varying(120),
                "notes" character varying(1000),
                CONSTRAINT "ck_session_events_kind" CHECK (
                    "kind" IN (
                        'check_in',
                        'start',
                        'treatment_end',
                        'discharge'
                    )
                ),
                CONSTRAINT "PK_aeae988940cef0a489a14200af3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_session_events_appointment_kind" ON "session_events" ("appointment_id", "kind")
        `);
    await queryRunner.query(`
            CREATE TABLE "tms_records" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "motor_threshold_percent" smallint,
                "intensity_percent" smallint NOT NULL,
                "pulses" integer NOT NULL,
                "coil_position" character varying(200),
                "recorded_by" uuid,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "ck_tms_records_pulses" CHECK (
                    "pulses" BETWEEN 1 AND 10000
                ),
                CONSTRAINT "ck_tms_records_intensity" CHECK (
                    "intensity_percent" BETWEEN 50 AND 150
                ),
                CONSTRAINT "ck_tms_records_motor_threshold" CHECK (
                    "motor_threshold_percent" BETWEEN 10 AND 100
                ),
                CONSTRAINT "PK_0d685ace274072b8c7bd09d6fc9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_tms_records_appointment" ON "tms_records" ("appointment_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "doses"
            ADD CONSTRAINT "fk_doses_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "doses"
            ADD CONSTRAINT "fk_doses_administered_by" FOREIGN KEY ("administered_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals"
            ADD CONSTRAINT "fk_vitals_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals"
            ADD CONSTRAINT "fk_vitals_corrects" FOREIGN KEY ("corrects_id") REFERENCES "vitals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals"
            ADD CONSTRAINT "fk_vitals_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "dosing_clearances"
            ADD CONSTRAINT "fk_dosing_clearances_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "dosing_clearances"
            ADD CONSTRAINT "fk_dosing_clearances_vitals" FOREIGN KEY ("vitals_id") REFERENCES "vitals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "dosing_clearances"
            ADD CONSTRAINT "fk_dosing_clearances_cleared_by" FOREIGN KEY ("cleared_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "rems_forms"
            ADD CONSTRAINT "fk_rems_forms_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "rems_forms"
            ADD CONSTRAINT "fk_rems_forms_updated_by" FOREIGN KEY ("updated_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "rems_forms"
            ADD CONSTRAINT "fk_rems_forms_submitted_by" FOREIGN KEY ("submitted_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "session_events"
            ADD CONSTRAINT "fk_session_events_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "session_events"
            ADD CONSTRAINT "fk_session_events_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "tms_records"
            ADD CONSTRAINT "fk_tms_records_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "tms_records"
            ADD CONSTRAINT "fk_tms_records_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Clinical records are append-only, whatever the role: a correction is a new row.
    await queryRunner.query(`
            CREATE FUNCTION session_record_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$
        `);
    for (const table of APPEND_ONLY) {
      await queryRunner.query(`
                CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON "${table}"
                FOR EACH ROW EXECUTE FUNCTION session_record_refuse_change()
            `);
      await queryRunner.query(`
                CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}"
                FOR EACH STATEMENT EXECUTE FUNCTION session_record_refuse_change()
            `);
    }
    // A REMS form is edited until it is submitted, then frozen; none is ever deleted.
    await queryRunner.query(`
            CREATE FUNCTION rems_form_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND OLD.submitted_at IS NULL THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'rems_forms: % of a submitted form refused', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER rems_forms_frozen BEFORE UPDATE OR DELETE ON "rems_forms"
            FOR EACH ROW EXECUTE FUNCTION rems_form_refuse_change()
        `);
    await queryRunner.query(`
            CREATE TRIGGER rems_forms_no_truncate BEFORE TRUNCATE ON "rems_forms"
            FOR EACH STATEMENT EXECUTE FUNCTION rems_form_refuse_change()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER rems_forms_no_truncate ON "rems_forms"`);
    await queryRunner.query(`DROP TRIGGER rems_forms_frozen ON "rems_forms"`);
    await queryRunner.query(`DROP FUNCTION rems_form_refuse_change()`);
    for (const table of APPEND_ONLY) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_no_update_delete ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION session_record_refuse_change()`);
    await queryRunner.query(`
            ALTER TABLE "tms_records" DROP CONSTRAINT "fk_tms_records_recorded_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "tms_records" DROP CONSTRAINT "fk_tms_records_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "session_events" DROP CONSTRAINT "fk_session_events_recorded_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "session_events" DROP CONSTRAINT "fk_session_events_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "rems_forms" DROP CONSTRAINT "fk_rems_forms_submitted_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "rems_forms" DROP CONSTRAINT "fk_rems_forms_updated_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "rems_forms" DROP CONSTRAINT "fk_rems_forms_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "dosing_clearances" DROP CONSTRAINT "fk_dosing_clearances_cleared_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "dosing_clearances" DROP CONSTRAINT "fk_dosing_clearances_vitals"
        `);
    await queryRunner.query(`
            ALTER TABLE "dosing_clearances" DROP CONSTRAINT "fk_dosing_clearances_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals" DROP CONSTRAINT "fk_vitals_recorded_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals" DROP CONSTRAINT "fk_vitals_corrects"
        `);
    await queryRunner.query(`
            ALTER TABLE "vitals" DROP CONSTRAINT "fk_vitals_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "doses" DROP CONSTRAINT "fk_doses_administered_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "doses" DROP CONSTRAINT "fk_doses_appointment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_tms_records_appointment"
        `);
    await queryRunner.query(`
            DROP TABLE "tms_records"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_session_events_appointment_kind"
        `);
    await queryRunner.query(`
            DROP TABLE "session_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_rems_forms_appointment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_rems_forms_pending_due"
        `);
    await queryRunner.query(`
            DROP TABLE "rems_forms"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_dosing_clearances_appointment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_dosing_clearances_vitals"
        `);
    await queryRunner.query(`
            DROP TABLE "dosing_clearances"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_vitals_appointment_taken"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_vitals_corrects"
        `);
    await queryRunner.query(`
            DROP TABLE "vitals"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_doses_appointment"
        `);
    await queryRunner.query(`
            DROP TABLE "doses"
        `);
  }
}
