import { openApiDocumentWithoutDatabase } from '../scripts/api-schema';
import { createTestApp, TestApp } from './support/app';

/**
 * The console's client types (web/src/api/schema.d.ts) are generated without a database, from the
 * document Nest's preview mode builds: it must be the document the service serves. (Whether the
 * committed file is current is `node dist/scripts/generate-api-schema.js --check`, run by test:browser.)
 */
describe('console API schema source', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(() => t?.close());

  it('reads the same OpenAPI document without a database as the service serves at /docs-json', async () => {
    const served = await t.http().get('/docs-json').expect(200);
    const generated = JSON.parse(JSON.stringify(await openApiDocumentWithoutDatabase()));
    expect(Object.keys(generated.paths).length).toBeGreaterThan(40);
    expect(generated).toEqual(served.body);
  });
});
