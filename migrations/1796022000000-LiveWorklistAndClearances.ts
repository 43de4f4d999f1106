import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two more kinds of change for the console's live boards (see LiveEvents): a worklist item added or marked
 * done (`worklist`, so a front desk's panel follows another console's "done"), and a provider's dosing
 * clearance (`clearance`, so the chair-side and the REMS desk's clearance list follow it). Ids and the kind
 * of change only, never the item's detail or the clearance's reason.
 */
export class LiveWorklistAndClearances1796022000000 implements MigrationInterface {
  name = 'LiveWorklistAndClearances1796022000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE FUNCTION worklist_items_clinic_event() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    PERFORM clinic_event('worklist', NEW.location_id, jsonb_build_object('itemId', NEW.id, 'change', 'added'));
                ELSIF OLD.done_at IS NULL AND NEW.done_at IS NOT NULL THEN
                    PERFORM clinic_event('worklist', NEW.location_id, jsonb_build_object('itemId', NEW.id, 'change', 'done'));
                END IF;
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER worklist_items_clinic_events AFTER INSERT OR UPDATE ON "worklist_items"
            FOR EACH ROW EXECUTE FUNCTION worklist_items_clinic_event()
        `);
    await queryRunner.query(`
            CREATE FUNCTION dosing_clearances_clinic_event() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM clinic_event('clearance', a.location_id, jsonb_build_object('appointmentId', NEW.appointment_id, 'vitalsId', NEW.vitals_id))
                FROM appointments a WHERE a.id = NEW.appointment_id;
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER dosing_clearances_clinic_events AFTER INSERT ON "dosing_clearances"
            FOR EACH ROW EXECUTE FUNCTION dosing_clearances_clinic_event()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER dosing_clearances_clinic_events ON "dosing_clearances"`);
    await queryRunner.query(`DROP FUNCTION dosing_clearances_clinic_event()`);
    await queryRunner.query(`DROP TRIGGER worklist_items_clinic_events ON "worklist_items"`);
    await queryRunner.query(`DROP FUNCTION worklist_items_clinic_event()`);
  }
}
