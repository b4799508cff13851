// CSV quoting and JSON export.
import { describe, expect, it } from 'vitest';
import { csvField, toCsv, toJson } from './export';

describe('export', () => {
  it('quotes CSV fields only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x\ny']])).toBe('a,b\r\n1,"x\ny"\r\n');
  });
  it('writes bigints as strings in JSON', () => {
    expect(JSON.parse(toJson({ n: 5n }))).toEqual({ n: '5' });
  });
});
