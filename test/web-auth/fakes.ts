import type { StorageLike } from '../../web/src/auth/cognito.js';

export class MemoryStorage implements StorageLike {
  readonly map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

/** fetch that records the X-Amz-Target of every call (and can be put in front of). */
export function recordingFetch(intercept?: (target: string, body: any) => Response | Promise<Response> | undefined) {
  const targets: string[] = [];
  const impl: typeof fetch = async (input, init) => {
    const target = String(new Headers(init?.headers).get('x-amz-target')).split('.').pop()!;
    const body = JSON.parse(String(init?.body ?? '{}'));
    targets.push(body.AuthFlow ? `${target}:${body.AuthFlow}` : target);
    const stubbed = await intercept?.(target, body);
    return stubbed ?? fetch(input, init);
  };
  return { impl, targets };
}
