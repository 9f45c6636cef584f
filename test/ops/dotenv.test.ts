import { describe, expect, it } from 'vitest';
import { formatDotenvValue, mergeDotenv, parseDotenv } from '../../scripts/ops/lib/dotenv.js';

const values = (text: string) => Object.fromEntries([...parseDotenv(text)].map(([k, e]) => [k, e.value]));

describe('.env parsing', () => {
  it('reads the forms people write', () => {
    const text = [
      '\uFEFF# comment',
      '',
      'PLAIN=abc123',
      'export EXPORTED=yes',
      '  SPACED  =  padded value  ',
      'INLINE=value # a comment',
      'HASH=abc#def',
      'DOUBLE="a \\"quoted\\" value\\nwith a newline"',
      "SINGLE='literal \\n $HOME # not a comment'",
      'EMPTY=',
      'EMPTY_QUOTED=""',
      'URL=postgres://u:p@h:5432/db?sslmode=require',
      'MULTI="line one',
      'line two"',
      'PLAIN=later wins',
    ].join('\r\n');
    expect(values(text)).toEqual({
      PLAIN: 'later wins',
      EXPORTED: 'yes',
      SPACED: 'padded value',
      INLINE: 'value',
      HASH: 'abc#def',
      DOUBLE: 'a "quoted" value\nwith a newline',
      SINGLE: 'literal \\n $HOME # not a comment',
      EMPTY: '',
      EMPTY_QUOTED: '',
      URL: 'postgres://u:p@h:5432/db?sslmode=require',
      MULTI: 'line one\nline two',
    });
  });

  it('rejects lines that are not KEY=value, naming the line and never the value', () => {
    expect(() => parseDotenv('A=1\nsk-ant-secret-value')).toThrow(/line 2: expected KEY=value/);
    expect(() => parseDotenv('A=1\nsk-ant-secret-value')).not.toThrow(/secret-value/);
    expect(() => parseDotenv('1BAD=x')).toThrow(/not a valid variable name/);
    expect(() => parseDotenv('A="open')).toThrow(/no closing "/);
  });

  it('writes values that read back unchanged', () => {
    for (const v of ['simple', 'with space', 'quote " and \\ backslash', 'new\nline', 'hash # here', '', 'sk-ant-api03_AbC-123=', "it's"]) {
      expect(values(`K=${formatDotenvValue(v)}`).K).toBe(v);
    }
    expect(formatDotenvValue('sk-abc_123')).toBe('sk-abc_123');
  });

  it('merges updates in place, drops later duplicates, keeps comments and other keys, appends new keys', () => {
    const before = '# top\nA=1\nB="multi\nline"\nC=3\nA=dup\n';
    const after = mergeDotenv(
      before,
      new Map([
        ['B', 'new b'],
        ['A', 'one'],
        ['D', '4'],
      ]),
    );
    expect(after).toBe('# top\nA=one\nB="new b"\nC=3\nD=4\n');
    expect(mergeDotenv('', new Map([['X', 'y']]))).toBe('X=y\n');
  });
});
