/**
 * EventBridge's event-pattern matching for the subset the stack's rules use, written from the
 * EventBridge user guide ("Creating event patterns"): a pattern is an object whose leaves are
 * arrays of allowed values; an event matches when every field the pattern names matches one of
 * its values (for an array in the event, any element). Values: exact strings, numbers, booleans
 * and null, and the filters `prefix`, `suffix`, `wildcard` (`*` = any run of characters,
 * including `/`), `anything-but` (a value or a list of them) and `exists`.
 */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Filter =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { suffix: string }
  | { wildcard: string }
  | { 'anything-but': string | number | (string | number)[] }
  | { exists: boolean };

export type EventPattern = { [field: string]: Filter[] | EventPattern };

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  const record = event as Record<string, Json>;
  return Object.entries(pattern).every(([field, rule]) => {
    const value = record[field];
    if (Array.isArray(rule)) return fieldMatches(rule, field in record, value);
    return value !== undefined && matchesPattern(rule, value);
  });
}

function fieldMatches(filters: Filter[], present: boolean, value: Json | undefined): boolean {
  const values = Array.isArray(value) ? value : [value];
  return filters.some((filter) => {
    if (isObject(filter) && 'exists' in filter) return filter.exists === (present && value !== null);
    if (!present) return false;
    return values.some((v) => valueMatches(filter, v));
  });
}

function valueMatches(filter: Filter, value: Json | undefined): boolean {
  if (!isObject(filter)) return filter === value;
  if (typeof value !== 'string' && !('anything-but' in filter)) return false;
  if ('prefix' in filter) return (value as string).startsWith(filter.prefix);
  if ('suffix' in filter) return (value as string).endsWith(filter.suffix);
  if ('wildcard' in filter) return wildcardRegExp(filter.wildcard).test(value as string);
  if ('anything-but' in filter) {
    const excluded = ([] as (string | number)[]).concat(filter['anything-but']);
    return !excluded.includes(value as string | number);
  }
  return false;
}

const isObject = (f: Filter): f is Exclude<Filter, string | number | boolean | null> => typeof f === 'object' && f !== null;

function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}
