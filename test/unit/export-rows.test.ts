import { csvHeader, csvLine, EXPORT_COLUMNS, flattenTweet, ndjsonLine } from '../../lib/pipeline/rows';
import { emotionOf, taggedTweet } from '../support/tagged-tweets';

describe('export rows', () => {
  const doc = { ...taggedTweet(1), content: 'He said "no", then\nleft', emotion: emotionOf(1) };

  it('flattens labels and scores into columns, empty where a task has not tagged the tweet', () => {
    const row = flattenTweet(doc);
    expect(Object.keys(row)).toEqual([...EXPORT_COLUMNS]);
    expect(row).toMatchObject({
      emotion_label: 'disgust',
      emotion_disgust: doc.emotion!.score,
      stance_label: null,
      hashtags: '#Vote',
    });
  });

  it('quotes CSV fields with commas, quotes or line breaks (RFC 4180), one line per tweet', () => {
    const line = csvLine(flattenTweet(doc));
    expect(line).toContain(',"He said ""no"", then\nleft",');
    expect(line.endsWith(',,,,,,,,\r\n')).toBe(true); // the stance columns, empty
    expect(csvHeader().split(',')).toHaveLength(EXPORT_COLUMNS.length);
  });

  it('writes NDJSON as one JSON object per line', () => {
    const line = ndjsonLine(flattenTweet(doc));
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toMatchObject({ id: doc.id, content: doc.content });
  });
});
