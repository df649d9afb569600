import { DatasetError } from '../../lib/errors';
import { RecordScanner, type RawRecord } from '../../lib/dataset/scanner';

/** Feeds `input` in chunks of `size` bytes (0 = all at once) and returns the records and the format. */
function scan(input: string | Buffer, size = 0) {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const scanner = new RecordScanner();
  const records: RawRecord[] = [];
  const step = size || buf.length || 1;
  for (let i = 0; i < buf.length; i += step) records.push(...scanner.push(buf.subarray(i, i + step)));
  records.push(...scanner.end());
  return { records, format: scanner.format };
}

const TRICKY = `\ufeff [ {"id": 1790123456789012345, "s": "a \\"quoted\\" } ] { [ , \\\\", "t": "end\\\\\\\\"},
  {"n": [-1790123456789012345, 123456789012345, 12345678901234567.5, 1e300, 9007199254740993],
   "u": "caf\u00e9 \u270a \\u00e9"} ,
  "bare string, with comma", 42, null, [1, [2]] ]  trailing`;

describe('record scanner (pure splitter)', () => {
  it('cuts array elements, quoting integer tokens of 16+ digits outside strings', () => {
    const { records, format } = scan(TRICKY);
    expect(format).toBe('json-array');
    const values = records.map((r) => JSON.parse(r.text));
    expect(values).toHaveLength(6);
    expect(values[0]).toEqual({ id: '1790123456789012345', s: 'a "quoted" } ] { [ , \\', t: 'end\\\\' });
    expect(values[1].n).toEqual([
      '-1790123456789012345',
      123456789012345,
      // eslint-disable-next-line no-loss-of-precision -- the test is that the parser does what JSON.parse does here
      12345678901234567.5,
      1e300,
      '9007199254740993',
    ]);
    expect(values[1].u).toBe('café ✊ é');
    expect(values.slice(2)).toEqual(['bare string, with comma', 42, null, [1, [2]]]);
    expect(records.every((r) => !r.truncated)).toBe(true);
  });

  it('gives the same records whatever the chunk boundaries (every size from 1 to 40 bytes)', () => {
    const whole = scan(TRICKY).records;
    for (let size = 1; size <= 40; size++) expect(scan(TRICKY, size).records).toEqual(whole);
  });

  it('cuts JSON Lines, ignoring blank lines and CRLF, same for every chunk size', () => {
    const input = '{"id": 12345678901234567890}\r\n\n   \n{"a": "x\\ny"}\nnot json\n{"last": 1}';
    const whole = scan(input);
    expect(whole.format).toBe('json-lines');
    expect(whole.records.map((r) => r.text)).toEqual([
      '{"id": "12345678901234567890"}',
      '{"a": "x\\ny"}',
      'not json',
      '{"last": 1}',
    ]);
    expect(whole.records.map((r) => r.truncated)).toEqual([false, false, false, true]);
    for (let size = 1; size <= 12; size++) expect(scan(input, size).records).toEqual(whole.records);
  });

  it('returns an unterminated last array element as truncated', () => {
    const { records } = scan('[{"id": 1}, {"id": 2, "payload": {"tw');
    expect(records).toEqual([
      { text: '{"id": 1}', truncated: false },
      { text: '{"id": 2, "payload": {"tw', truncated: true },
    ]);
    expect(scan('[{"id": 1},').records).toHaveLength(1); // unclosed array, no partial record
  });

  it('refuses content that is neither an array nor JSON Lines, saying what it found', () => {
    expect(() => scan('id,content\n1,hello')).toThrow(DatasetError);
    expect(() => scan('id,content\n1,hello')).toThrow(/starts with "id,content\\n1,hello"/);
    expect(() => scan(Buffer.from([0x00, 0xff, 0x10]))).toThrow(/bytes 00ff10/);
    expect(() => scan('  \n ')).toThrow(/empty/);
    expect(() => scan('\ufeff')).toThrow(/empty/);
  });
});
