import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's live boards: every change to an appointment, a vitals reading or a waitlist entry or offer
 * sends a NOTIFY on `clinic_events` naming the clinic, the kind of change and ids only (never a name, a
 * type or a note). Triggers, so that every path that writes these rows (a booking's single statement, a
 * replan, a FHIR $book, a job) is heard without each remembering to; PostgreSQL delivers at commit, never
 * for a rollback, and collapses identical notifications of one transaction.
 */
export class LiveEvents1796021500000 implements MigrationInterface {
  name = 'LiveEvents1796021500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE FUNCTION clinic_event(kind text, location uuid, body jsonb) RETURNS void LANGUAGE sql AS $$
                SELECT pg_notify('clinic_events', (jsonb_build_object('type', kind, 'locationId', location) || body)::text)
            $$
        `);
    await queryRunner.query(`
            CREATE FUNCTION appointments_clinic_event() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                ids jsonb := jsonb_build_object('appointmentId', NEW.id);
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    PERFORM clinic_event('appointment', NEW.location_id, ids || '{"change": "booked"}');
                ELSIF NEW.status IN ('cancelled', 'no_show') AND OLD.status IS DISTINCT FROM NEW.status THEN
                    PERFORM clinic_event('appointment', NEW.location_id, ids || jsonb_build_object('change', NEW.status));
                ELSIF OLD.status IS DISTINCT FROM NEW.status THEN
                    PERFORM clinic_event('status', NEW.location_id, ids || jsonb_build_object('status', NEW.status));
                ELSIF OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.resource_id IS DISTINCT FROM NEW.resource_id
                      OR OLD.location_id IS DISTINCT FROM NEW.location_id THEN
                    PERFORM clinic_event('appointment', NEW.location_id, ids || '{"change": "rescheduled"}');
                    IF OLD.location_id IS DISTINCT FROM NEW.location_id THEN
                        PERFORM clinic_event('appointment', OLD.location_id, ids || '{"change": "moved-away"}');
                    END IF;
                ELSE
                    PERFORM clinic_event('appointment', NEW.location_id, ids || '{"change": "updated"}');
                END IF;
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER appointments_clinic_events AFTER INSERT OR UPDATE ON "appointments"
            FOR EACH ROW EXECUTE FUNCTION appointments_clinic_event()
        `);
    await queryRunner.query(`
            CREATE FUNCTION vitals_clinic_event() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM clinic_event('vitals', a.location_id, jsonb_build_object('appointmentId', NEW.appointment_id, 'vitalsId', NEW.id))
                FROM appointments a WHERE a.id = NEW.appointment_id;
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER vitals_clinic_events AFTER INSERT ON "vitals"
            FOR EACH ROW EXECUTE FUNCTION vitals_clinic_event()
        `);
    await queryRunner.query(`
            CREATE FUNCTION waitlist_entries_clinic_event() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM clinic_event('waitlist', location, jsonb_build_object('entryId', NEW.id, 'change', NEW.status))
                FROM unnest(NEW.location_ids) AS location;
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER waitlist_entries_clinic_events AFTER INSERT OR UPDATE ON "waitlist_entries"
            FOR EACH ROW EXECUTE FUNCTION waitlist_entries_clinic_event()
        `);
    await queryRunner.query(`
            CREATE FUNCTION waitlist_offers_clinic_event() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM clinic_event('waitlist', NEW.location_id, jsonb_build_object('entryId', NEW.entry_id, 'offerId', NEW.id, 'change', 'offer-' || NEW.status));
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER waitlist_offers_clinic_events AFTER INSERT OR UPDATE ON "waitlist_offers"
            FOR EACH ROW EXECUTE FUNCTION waitlist_offers_clinic_event()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER waitlist_offers_clinic_events ON "waitlist_offers"`);
    await queryRunner.query(`DROP FUNCTION waitlist_offers_clinic_event()`);
    await queryRunner.query(`DROP TRIGGER waitlist_entries_clinic_events ON "waitlist_entries"`);
    await queryRunner.query(`DROP FUNCTION waitlist_entries_clinic_event()`);
    await queryRunner.query(`DROP TRIGGER vitals_clinic_events ON "vitals"`);
    await queryRunner.query(`DROP FUNCTION vitals_clinic_event()`);
    await queryRunner.query(`DROP TRIGGER appointments_clinic_events ON "appointments"`);
    await queryRunner.query(`DROP FUNCTION appointments_clinic_event()`);
    await queryRunner.query(`DROP FUNCTION clinic_event(text, uuid, jsonb)`);
  }
}
