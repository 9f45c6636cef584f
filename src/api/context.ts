import type { Caller } from '../ports/identity.js';

/** Variables every authenticated route can read (`c.get('caller')`). */
export interface AppEnv {
  Variables: { caller: Caller };
}
