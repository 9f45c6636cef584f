import { extendZodWithOpenApi } from '@hono/zod-openapi';
import { z as zod } from 'zod';

extendZodWithOpenApi(zod); // idempotent: @hono/zod-openapi does the same when it loads

/**
 * zod with `.openapi()`, for every schema the OpenAPI document shows. Import `z` from here, not
 * from '@hono/zod-openapi': that is a re-export, and a bundler may bind it straight to zod and
 * evaluate a schema module before the module that adds `.openapi()` (esbuild's code splitting
 * did: "….openapi is not a function" at init). This binding is defined here, so whoever uses it
 * is evaluated after the line above.
 */
export const z: typeof zod = zod;

/** zod's type namespace (`zod.infer<…>`, `zod.input<…>`) for the modules that import `z` from here. */
export type { z as zod } from 'zod';
