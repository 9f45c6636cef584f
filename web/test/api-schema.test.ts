import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, generateApiFiles } from '../../scripts/openapi-export.js';

/**
 * The web app's API types come from the server's OpenAPI document. A route or schema change
 * without `npm run gen:api` fails here instead of at run time in the browser.
 */
describe('web/src/api/schema.d.ts', () => {
  it('is what `npm run gen:api` generates from the current OpenAPI document', async () => {
    const [{ schema, document }, committed] = await Promise.all([generateApiFiles(), readFile(SCHEMA_FILE, 'utf8')]);
    expect(JSON.parse(document).paths).toHaveProperty(['/items/{id}', 'get']);
    expect(committed === schema, 'web/src/api/schema.d.ts is stale: run `npm run gen:api`').toBe(true);
  });
});
