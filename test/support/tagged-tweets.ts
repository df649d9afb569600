import { EMOTION_LABELS, STANCE_LABELS, type EmotionResult, type StanceResult, type Tweet } from '../../lib/domain';

/**
 * A tagged dataset whose answers are known: 24 tweets over Jan–Mar 2025, labels cycling so every emotion and
 * stance appears, two emotion model revisions (a mixed run), a few untagged tweets, distinct likes/retweets.
 */
export const TAGGED_COUNT = 24;
const TAGS = ['#Healthcare', '#Vote', '#Climate'];
const AUTHORS = ['alice', 'bob', 'carol', 'dave'];
const WORDS = ['budget', 'healthcare', 'border', 'climate'];

export function taggedTweet(i: number): Tweet {
  const author = AUTHORS[i % AUTHORS.length]!;
  return {
    id: String(1790000000000000000n + BigInt(i)),
    content: `Tweet ${i} about the ${WORDS[i % WORDS.length]} plan${i % 5 === 0 ? ' and taxes' : ''}`,
    created_at: new Date(Date.UTC(2025, 0, 1 + i * 3, 12)).toISOString(),
    author: { username: author, handle: `@${author}`, verified: i % 2 === 0 },
    hashtags: i % 4 === 3 ? [TAGS[i % 3]!, '#Vote'] : [TAGS[i % 3]!],
    // likes and retweets order the tweets differently from their dates and from each other
    metrics: { likes: (i * 37) % 101, retweets: (i * 53) % 97 },
  };
}

export function emotionOf(i: number): EmotionResult | undefined {
  if (i % 8 === 7) return undefined; // untagged
  const label = EMOTION_LABELS[i % EMOTION_LABELS.length]!;
  const score = 0.3 + (i % 7) / 10; // 0.3 … 0.9
  const scores = Object.fromEntries(
    EMOTION_LABELS.map((l) => [l, l === label ? score : (1 - score) / 6]),
  ) as EmotionResult['scores'];
  const revision = i < 12 ? 'rev-a' : 'rev-b';
  return {
    label,
    score,
    scores,
    model: 'fixture/emotion',
    revision,
    dtype: 'fp32',
    classified_at: '2025-06-01T00:00:00.000Z',
    inference_ms: 1,
  };
}

export function stanceOf(i: number): StanceResult | undefined {
  if (i % 6 === 5) return undefined;
  const label = STANCE_LABELS[i % STANCE_LABELS.length]!;
  const score = 0.4 + (i % 5) / 10; // 0.4 … 0.8
  const scores = Object.fromEntries(
    STANCE_LABELS.map((l) => [l, l === label ? score : (1 - score) / 2]),
  ) as StanceResult['scores'];
  return {
    label,
    score,
    scores,
    model: 'fixture/stance',
    revision: 'rev-s',
    prompt_version: 'stance-v2',
    method: 'label-likelihood',
    classified_at: '2025-06-01T00:00:00.000Z',
    inference_ms: 2,
  };
}

export const taggedDataset = () => Array.from({ length: TAGGED_COUNT }, (_, i) => i);
