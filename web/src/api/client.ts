import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { chatStreamEndpoint } from './chat-endpoint';

/**
 * The typed API client: openapi-fetch over the `paths` generated from the server's OpenAPI
 * document (`npm run gen:api`), with a middleware that adds `Authorization: Bearer` when the app
 * signs in (Cognito). One client per page, configured once at start-up.
 */
type Schemas = components['schemas'];
export type Item = Schemas['Item'];
export type Analysis = Schemas['Analysis'];
/** `analysis` is null until the item has been analysed. */
export type ItemDetail = Schemas['ItemDetail'];
export type ItemList = Schemas['ItemList'];
export type ItemStatus = Item['status'];
export type SearchResponse = Schemas['SearchResponse'];
export type SearchResult = Schemas['SearchResult'];
export type SearchType = Schemas['SearchRequest']['search_type'];
export type ChatResponse = Schemas['ChatResponse'];
export type ChatSession = Schemas['ChatSession'];
export type ChatMessage = Schemas['ChatMessage'];
export type ChatSearchResult = ChatResponse['search_results'][number];
export type SearchConfig = Schemas['SearchConfig'];
export type UploadTicket = Schemas['UploadTicket'];
export type UploadResult = Schemas['UploadResult'];
export type AnalyzeRequest = Schemas['AnalyzeRequest'];
export type CategoryFacets = Schemas['Facets'];
/** An item of GET /items/{id}/similar: its vector neighbours, nearest first. */
export type SimilarItem = Schemas['SimilarItems']['items'][number];

export type TokenProvider = () => Promise<string | null>;

/** An error answer of the API (`{error: {code, message}}`), or a network failure (status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let baseUrl = '';
let chatStreamUrl: string | null = null;
let tokenProvider: TokenProvider | null = null;
let onUnauthorized: (() => void) | null = null;

const authMiddleware: Middleware = {
  async onRequest({ request }) {
    const token = await tokenProvider?.();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized?.();
    return undefined;
  },
};

function build() {
  const c = createClient<paths>({ baseUrl: baseUrl || globalThis.location?.origin });
  c.use(authMiddleware);
  return c;
}

let client = build();

export function configureApi(options: {
  baseUrl: string;
  chatStreamUrl?: string;
  getToken?: TokenProvider | null;
  onUnauthorized?: () => void;
}) {
  baseUrl = options.baseUrl.replace(/\/+$/, '');
  chatStreamUrl = options.chatStreamUrl ?? null;
  tokenProvider = options.getToken ?? null;
  onUnauthorized = options.onUnauthorized ?? null;
  client = build();
}

/** The configured client (call at use: `configureApi` replaces it). */
export const api = () => client;

/** Absolute URL of an API path such as an item's `thumbnail_url`. */
export const apiUrl = (path: string) => (/^https?:/.test(path) ? path : `${baseUrl}${path}`);

/** Where POST /chat/stream goes: the chat stream URL when configured (AWS), else the API. */
export const chatStreamUrlOf = () => chatStreamEndpoint(baseUrl, chatStreamUrl);

/** Whether API requests need a bearer token (then images cannot be plain `<img src>`). */
export const needsToken = () => tokenProvider !== null;

export async function authHeaders(): Promise<Record<string, string>> {
  const token = await tokenProvider?.();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export function toApiError(status: number, body: unknown, fallback = 'The request failed.'): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return new ApiError(
    status,
    typeof e?.code === 'string' ? e.code : `http_${status}`,
    typeof e?.message === 'string' && e.message ? e.message : fallback,
  );
}

/** `data` of an openapi-fetch answer, or the API's error thrown as ApiError. */
export async function ok<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (err) {
    throw new ApiError(0, 'network', `Could not reach the server (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (result.error !== undefined || !result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : typeof err === 'string' ? err : 'Something went wrong.');
