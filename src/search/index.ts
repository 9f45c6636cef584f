import type { Services } from '../app/services.js';
import { searchConfig } from './config.js';
import { SearchService } from './search-service.js';
import type { Searcher } from './schemas.js';

export { SearchService } from './search-service.js';
export type { Searcher } from './schemas.js';

/** The configured search over the services' database and embedder. */
export function createSearcher(services: Pick<Services, 'config' | 'db' | 'embedder'>): Searcher & SearchService {
  return new SearchService(services.db, services.embedder, searchConfig(services.config, services.embedder));
}
