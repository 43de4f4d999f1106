import { WorklistService } from '../src/worklist/worklist.service';
import { useTestApp } from './support/app';
import { registerPatient } from './support/factories';

/** The worklist's own API; the items producers put on it are tested with each producer. */
describe('worklist', () => {
  const t = useTestApp();
  let aurora: string;
  let louisville: string;
  let patientId: string;

  beforeAll(async () => {
    ({ aurora, louisville } = t.locations);
    patientId = (await registerPatient(t)).id;
  });

  const add = (item: Parameters<WorklistService['add']>[1]) => t.dataSource.transaction((manager) => t.app.get(WorklistService).add(manager, item));

  it('lists a clinic’s open items oldest first, once each, and marks them done with an audit entry', async () => {
    const first = await add({ kind: 'unmatched-reply', locationId: aurora, patientId, detail: 'A reply that fits nothing: "maybe"', dedupeKey: 'reply:SM1' });
    const second = await add({ kind: 'unmatched-reply', locationId: aurora, detail: 'A reply from a number shared by 2 patients', dedupeKey: 'reply:SM2' });
    await add({ kind: 'unmatched-reply', locationId: louisville, detail: 'Another clinic', dedupeKey: 'reply:SM3' });
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    // The same open item again: not listed twice.
    expect(await add({ kind: 'unmatched-reply', locationId: aurora, patientId, detail: 'again', dedupeKey: 'reply:SM1' })).toBeUndefined();

    const listed = await t
      .http()
      .get(`/api/worklist?locationId=${aurora}`)
      .set(await t.auth('nurse'))
      .expect(200);
    expect(listed.body.map((i: { id: string }) => i.id)).toEqual([first, second]);
    expect(listed.body[0]).toEqual({
      id: first,
      kind: 'unmatched-reply',
      locationId: aurora,
      patientId,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?-0[67]:00$/),
      detail: 'A reply that fits nothing: "maybe"',
    });

    // Nurses read; only front desk (and admin) mark done.
    await t
      .http()
      .post(`/api/worklist/${first}/done`)
      .set(await t.auth('nurse'))
      .send({})
      .expect(403);
    const done = await t
      .http()
      .post(`/api/worklist/${first}/done`)
      .set(await t.auth('front_desk'))
      .send({ resolution: 'Called back' })
      .expect(200);
    expect(done.body).toMatchObject({ id: first, resolution: 'Called back', doneAt: expect.any(String), doneBy: expect.any(String) });
    const again = await t
      .http()
      .post(`/api/worklist/${first}/done`)
      .set(await t.auth('front_desk'))
      .send({})
      .expect(409);
    expect(again.body.rule).toBe('status');

    const open = await t
      .http()
      .get(`/api/worklist?locationId=${aurora}`)
      .set(await t.auth('front_desk'))
      .expect(200);
    expect(open.body.map((i: { id: string }) => i.id)).toEqual([second]);
    const closed = await t
      .http()
      .get(`/api/worklist?locationId=${aurora}&status=done`)
      .set(await t.auth('front_desk'))
      .expect(200);
    expect(closed.body.map((i: { id: string }) => i.id)).toEqual([first]);

    const [stored] = await t.dataSource.query('SELECT done_at, done_by, resolution FROM worklist_items WHERE id = $1', [first]);
    expect(stored.done_at).not.toBeNull();
    expect(stored.resolution).toBe('Called back');
    const audit = await t.dataSource.query(`SELECT action FROM audit_log WHERE entity_type = 'worklist_item' AND entity_id = $1`, [first]);
    expect(audit).toEqual([{ action: 'worklist.done' }]);
    // Once done, the same key may be listed again (a new reply of the same kind).
    expect(await add({ kind: 'unmatched-reply', locationId: aurora, patientId, detail: 'a new one', dedupeKey: 'reply:SM1' })).toBeDefined();
  });

  it('pages with limit and x-next-cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await add({ kind: 'offer-expired', locationId: louisville, detail: `offer ${i}` }))!);
    const admin = await t.auth('admin');
    const page1 = await t.http().get(`/api/worklist?locationId=${louisville}&limit=2`).set(admin).expect(200);
    expect(page1.body).toHaveLength(2);
    const cursor = page1.headers['x-next-cursor'];
    expect(cursor).toBe(page1.body[1].id);
    const page2 = await t.http().get(`/api/worklist?locationId=${louisville}&limit=2&cursor=${cursor}`).set(admin).expect(200);
    const all = [...page1.body, ...page2.body].map((i: { id: string }) => i.id);
    expect(all).toHaveLength(4);
    expect(all.slice(1)).toEqual(ids);
  });

  it('refuses bad input with a 400 naming the field, an unknown item or clinic with a 404', async () => {
    const desk = await t.auth('front_desk');
    const missing = await t.http().get('/api/worklist').set(desk).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('locationId');
    const status = await t.http().get(`/api/worklist?locationId=${aurora}&status=all`).set(desk).expect(400);
    expect(status.body.errors.map((e: { field: string }) => e.field)).toContain('status');
    await t.http().get('/api/worklist?locationId=00000000-0000-4000-8000-000000000000').set(desk).expect(404);
    await t.http().post('/api/worklist/00000000-0000-4000-8000-000000000000/done').set(desk).send({}).expect(404);
    await t.http().get(`/api/worklist?locationId=${aurora}`).expect(401);
  });
});
