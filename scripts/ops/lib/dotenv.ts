/**
 * `.env` files as most tools read them (dotenv, docker compose, shells):
 *   KEY=value            # a comment after an unquoted value needs a space before '#'
 *   export KEY=value     # 'export ' is ignored
 *   KEY="a \"quoted\" value\nwith escapes"   KEY='single quotes keep everything literally'
 * Blank lines and lines starting with '#' are ignored. A later line wins over an earlier one.
 */
export interface DotenvEntry {
  key: string;
  value: string;
  line: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDotenv(text: string): Map<string, DotenvEntry> {
  const entries = new Map<string, DotenvEntry>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    if (eq <= 0) throw new Error(`.env line ${i + 1}: expected KEY=value`);
    const key = body.slice(0, eq).trim();
    if (!KEY.test(key)) throw new Error(`.env line ${i + 1}: "${key}" is not a valid variable name`);
    const rest = body.slice(eq + 1).trimStart();
    let value: string;
    if (rest.startsWith('"') || rest.startsWith("'")) {
      const quote = rest[0]!;
      // A quoted value may span lines (dotenv does the same): read until the closing quote.
      let content = rest.slice(1);
      let end = findClosing(content, quote);
      while (end < 0 && i + 1 < lines.length) {
        i++;
        content += `\n${lines[i]}`;
        end = findClosing(content, quote);
      }
      if (end < 0) throw new Error(`.env: the value of ${key} has no closing ${quote}`);
      const inner = content.slice(0, end);
      value = quote === '"' ? unescapeDouble(inner) : inner;
    } else {
      const hash = rest.search(/\s#/);
      value = (hash >= 0 ? rest.slice(0, hash) : rest).trim();
    }
    entries.set(key, { key, value, line: i + 1 });
  }
  return entries;
}

function findClosing(s: string, quote: string): number {
  for (let i = 0; i < s.length; i++) {
    if (quote === '"' && s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

/** A value written so that parseDotenv (and dotenv) reads it back unchanged. */
export function formatDotenvValue(value: string): string {
  if (/^[A-Za-z0-9_./:@+,=-]*$/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/**
 * `text` with `updates` applied: a key already present keeps its place (its line is replaced,
 * later duplicates of it removed), new keys are appended. Comments and other keys stay as they are.
 */
export function mergeDotenv(text: string, updates: ReadonlyMap<string, string>): string {
  const out: string[] = [];
  const done = new Set<string>();
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!m || !updates.has(m[1]!)) {
      out.push(raw);
      continue;
    }
    const key = m[1]!;
    // Skip the continuation lines of a multi-line quoted value being replaced.
    const rest = m[2]!;
    if ((rest.startsWith('"') || rest.startsWith("'")) && findClosing(rest.slice(1), rest[0]!) < 0) {
      let content = rest.slice(1);
      while (i + 1 < lines.length && findClosing(content, rest[0]!) < 0) content += `\n${lines[++i]}`;
    }
    if (done.has(key)) continue;
    done.add(key);
    out.push(`${key}=${formatDotenvValue(updates.get(key)!)}`);
  }
  for (const [key, value] of updates) if (!done.has(key)) out.push(`${key}=${formatDotenvValue(value)}`);
  return `${out.join('\n')}\n`;
}
