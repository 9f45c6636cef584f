import type { Config } from '../../shared/config.js';
import type { Database } from '../../ports/database.js';
import type { Embedder } from '../../ports/embedder.js';
import { searchConfig } from './config.js';
import { SearchService } from './search-service.js';
import type { Searcher } from '../../contracts/search.js';

export { SearchService } from './search-service.js';
export type { Searcher } from '../../contracts/search.js';

/** The configured search over the services' database and embedder. */
export function createSearcher(services: { config: Config; db: Database; embedder: Embedder }): Searcher & SearchService {
  return new SearchService(services.db, services.embedder, searchConfig(services.config, services.embedder));
}
