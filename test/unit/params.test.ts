import { parseDateInput } from '../../lib/dates';
import { zodProblems } from '../../lib/http/middleware';
import { statsQuery, tagQuery, tweetsQuery } from '../../lib/http/schemas';
import { encodeCursor } from '../../lib/store/cursor';

const problems = (input: Record<string, unknown>) => {
  const r = tweetsQuery.safeParse(input);
  return r.success ? [] : zodProblems(r.error.issues as never);
};

describe('date parameters', () => {
  it.each([
    ['2025-02-19', Date.UTC(2025, 1, 19)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2025-03-03T23:30:00+02:00', Date.UTC(2025, 2, 3, 21, 30)],
    ['2025-03-03T23:30', Date.UTC(2025, 2, 3, 23, 30)],
    ['2025-03-03T23:30:00.123Z', Date.UTC(2025, 2, 3, 23, 30, 0, 123)],
    ['2025-03-03t23:30:00z', Date.UTC(2025, 2, 3, 23, 30)], // RFC 3339 allows lower case
    ['0001-01-01', -62_135_596_800_000], // years below 100 are not 19xx
    ['0099-12-31T00:00:00Z', -59_011_545_600_000],
  ])('accepts %s', (input, ms) => {
    expect(parseDateInput(input)?.ms).toBe(ms);
  });

  it.each([
    '0000-00-00',
    '2025-13-40',
    '2025-02-30',
    '2025-02-29',
    '2025-1-5',
    '19/02/2025',
    'yesterday',
    '2025-02-19T25:00',
    '',
  ])('rejects %j', (input) => {
    expect(parseDateInput(input)).toBeUndefined();
  });

  it('makes end_date inclusive of the whole day', () => {
    const r = tweetsQuery.parse({ start_date: '2025-02-19', end_date: '2025-02-19' });
    expect(r.start_date).toBe(Date.UTC(2025, 1, 19));
    expect(r.end_date).toBe(Date.UTC(2025, 1, 20) - 1);
  });
});

describe('GET /tweets parameters', () => {
  it('takes an end before the start (it selects nothing) and min_score without a label (every tag it has)', () => {
    expect(problems({ start_date: '2025-03-01', end_date: '2025-02-01' })).toEqual([]);
    expect(problems({ min_score: '0.5' })).toEqual([]);
  });

  it('defaults limit to 20', () => {
    expect(tweetsQuery.parse({}).limit).toBe(20);
  });

  it.each([
    [{ limit: '0' }, 'limit', 'must be at least 1'],
    [{ limit: '-1' }, 'limit', 'must be at least 1'],
    [{ limit: 'abc' }, 'limit', 'must be a whole number between 1 and 1000'],
    [{ limit: '1.5' }, 'limit', 'must be a whole number between 1 and 1000'],
    [{ limit: '1000000000' }, 'limit', 'must be at most 1000'],
    [{ start_date: '2025-13-40' }, 'start_date', 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time'],
    [{ end_date: 'tomorrow' }, 'end_date', 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time'],
    [{ end_date: '0000-00-00' }, 'end_date', 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time'],
    [
      { cursor: 'not-a-cursor' },
      'cursor',
      'is not a cursor returned by this API (use next_cursor from the previous page)',
    ],
    [
      { cursor: encodeCursor([1, 'x']).slice(0, -2) + '!!' },
      'cursor',
      'is not a cursor returned by this API (use next_cursor from the previous page)',
    ],
    [{ emotion: 'happy' }, 'emotion', 'must be one of anger, disgust, fear, joy, neutral, sadness, surprise'],
    [{ stance: 'maybe' }, 'stance', 'must be one of SUPPORT, OPPOSE, NEUTRAL'],
    [{ page: '2' }, 'page', 'is not a known parameter'],
    [{ sort: 'popular' }, 'sort', 'must be one of newest, oldest, likes, retweets'],
    [{ format: 'xlsx' }, 'format', 'must be one of json, csv, ndjson'],
    [{ emotion: 'joy', min_score: '1.5' }, 'min_score', 'must be a number between 0 and 1'],
    [{ emotion: 'joy', min_score: 'high' }, 'min_score', 'must be a number between 0 and 1'],
    [{ min_score: '-0.5' }, 'min_score', 'must be a number between 0 and 1'],
    [{ q: '   ' }, 'q', 'must not be empty'],
    [{ hashtag: 'x'.repeat(201) }, 'hashtag', 'must be at most 200 characters'],
    [
      { cursor: encodeCursor([5, 1700000000000, '17'], 'likes') },
      'cursor',
      'was issued for sort=likes; start again without cursor to page sort=newest',
    ],
    [
      { cursor: encodeCursor([1, 'x']), format: 'csv' },
      'cursor',
      'is for JSON pages; an export holds every matching tweet',
    ],
  ])('%j → 400 on %s', (input, field, message) => {
    expect(problems(input)).toEqual([{ field, message }]);
  });

  it('gives one message per bad field', () => {
    expect(
      problems({ limit: '0', start_date: 'x', foo: '1', bar: '2' })
        .map((p) => p.field)
        .sort(),
    ).toEqual(['bar', 'foo', 'limit', 'start_date']);
  });

  it('accepts a cursor it issued and case-insensitive labels', () => {
    const r = tweetsQuery.parse({
      cursor: encodeCursor([1700000000000, '1790123456789012345']),
      emotion: 'JOY',
      stance: 'support',
    });
    expect(r.cursor).toEqual({ sort: 'newest', values: [1700000000000, '1790123456789012345'] });
    expect(r.emotion).toBe('joy');
    expect(r.stance).toBe('SUPPORT');
  });
});

describe('GET /tweets analyst parameters', () => {
  it('normalises hashtag and author, and keeps a cursor of the same sort', () => {
    const cursor = encodeCursor([5, 1700000000000, '17'], 'likes');
    const r = tweetsQuery.parse({
      hashtag: 'Healthcare',
      author: '@Alice',
      sort: 'likes',
      cursor,
      stance: 'oppose',
      min_score: '0.7',
    });
    expect(r).toMatchObject({ hashtag: '#Healthcare', author: 'Alice', sort: 'likes', min_score: 0.7, format: 'json' });
    expect(r.cursor).toEqual({ sort: 'likes', values: [5, 1700000000000, '17'] });
  });

  it('rejects a cursor whose values do not fit its sort', () => {
    const forged = Buffer.from(JSON.stringify({ s: 'likes', v: [1, 'x'] })).toString('base64url');
    expect(problems({ cursor: forged, sort: 'likes' }).map((p) => p.field)).toEqual(['cursor']);
  });
});

describe('GET /stats parameters', () => {
  it('accepts the /tweets filters, an interval and a top size; refuses /tweets paging', () => {
    expect(statsQuery.parse({ emotion: 'anger', hashtag: '#Vote', interval: 'month' })).toMatchObject({
      top: 10,
      interval: 'month',
    });
    const issues = statsQuery.safeParse({ interval: 'year', top: '0', limit: '5' });
    expect(issues.success).toBe(false);
    expect(
      zodProblems(issues.error!.issues as never)
        .map((p) => p.field)
        .sort(),
    ).toEqual(['interval', 'limit', 'top']);
  });
});

describe('POST /emotion and /stance parameters', () => {
  const schema = tagQuery(10_000);
  it('accepts JSON numbers and booleans as well as query strings', () => {
    expect(schema.parse({ limit: 5, force: true })).toMatchObject({ limit: 5, force: true });
    expect(schema.parse({ limit: '5', force: 'false' })).toMatchObject({ limit: 5, force: false });
    expect(schema.parse({})).toEqual({ force: false, async: false }); // limit falls back to DEFAULT_TAG_LIMIT in the handler
  });
  it('rejects a bad force and a limit above the maximum', () => {
    const r = schema.safeParse({ force: 'yes', limit: 10_001 });
    expect(r.success).toBe(false);
    expect(zodProblems(r.error!.issues as never)).toEqual([
      { field: 'limit', message: 'must be at most 10000' },
      { field: 'force', message: 'must be true or false' },
    ]);
  });
});
