/**
 * Runtime configuration, fetched from `/app-config.json` before anything renders: the local
 * server builds it from its own settings (src/api/web.ts); on AWS it is a static file deployed
 * beside the app. Only `apiBaseUrl` and `auth` are required; the rest has defaults.
 */
export type AuthConfig = { mode: 'none' } | { mode: 'cognito'; region: string; userPoolId: string; clientId: string; endpoint?: string };

export interface AppConfig {
  /** Where the HTTP API lives ('' = this origin). */
  apiBaseUrl: string;
  /**
   * AWS: the chat-stream function URL (ends with `/`). Chat streams from `{chatStreamUrl}chat/stream`
   * there, token by token and past API Gateway's 30 s; without it, from the API like any route.
   */
  chatStreamUrl?: string;
  auth: AuthConfig;
  /** `api`: POST /items with the file; `direct`: POST /items/uploads, then the presigned S3 form. */
  uploads: 'api' | 'direct';
  /** Vision providers a re-analysis may choose from (the first is the configured one). */
  visionProviders: string[];
  maxUploadBytes: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export function normalizeConfig(raw: unknown): AppConfig {
  const r = (raw ?? {}) as Partial<AppConfig> & { auth?: Partial<AuthConfig> & Record<string, unknown> };
  const a = r.auth ?? { mode: 'none' };
  let auth: AuthConfig;
  if (a.mode === 'cognito') {
    const { region, userPoolId, clientId, endpoint } = a as Record<string, unknown>;
    if (typeof userPoolId !== 'string' || typeof clientId !== 'string') {
      throw new Error('app-config.json: auth.mode "cognito" needs userPoolId and clientId');
    }
    auth = {
      mode: 'cognito',
      region: typeof region === 'string' && region ? region : (userPoolId.split('_')[0] ?? 'us-east-1'),
      userPoolId,
      clientId,
      ...(typeof endpoint === 'string' && endpoint ? { endpoint } : {}),
    };
  } else {
    auth = { mode: 'none' };
  }
  return {
    apiBaseUrl: typeof r.apiBaseUrl === 'string' ? r.apiBaseUrl.replace(/\/+$/, '') : '',
    ...(typeof r.chatStreamUrl === 'string' && /^https?:\/\//.test(r.chatStreamUrl) ? { chatStreamUrl: r.chatStreamUrl } : {}),
    auth,
    uploads: r.uploads === 'direct' || r.uploads === 'api' ? r.uploads : auth.mode === 'cognito' ? 'direct' : 'api',
    visionProviders: Array.isArray(r.visionProviders) ? r.visionProviders.filter((p): p is string => typeof p === 'string') : [],
    maxUploadBytes: typeof r.maxUploadBytes === 'number' && r.maxUploadBytes > 0 ? r.maxUploadBytes : DEFAULT_MAX_UPLOAD_BYTES,
  };
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch('/app-config.json', { cache: 'no-cache', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`Could not load /app-config.json (HTTP ${res.status}).`);
  return normalizeConfig(await res.json());
}
