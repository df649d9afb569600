/**
 * The stance prompt, in one place. Bump PROMPT_VERSION whenever the text changes: it is stored with
 * every result, and a tweet classified with another version is classified again. docs/models.md explains
 * each change from the exercise's prompt (REPORT.md sums them up):
 *   "Tweet: {tweet}. Does the author SUPPORT, OPPOSE, or remain NEUTRAL in its opinion? Only return any
 *    of the three options."
 */
export const PROMPT_VERSION = 'stance-v2';

export const STANCE_SYSTEM_PROMPT = 'You label the stance of political tweets. You answer with one word.';

/** The question comes before the tweet, so every prompt shares the longest possible evaluated prefix. */
export function stanceUserPrompt(tweet: string): string {
  return (
    'Does the author of the tweet below SUPPORT, OPPOSE, or remain NEUTRAL toward the tweet\'s own subject ' +
    '(the policy, law, person or event it talks about)? Answer with exactly one of: SUPPORT, OPPOSE, NEUTRAL.\n\n' +
    `Tweet: """${tweet}"""`
  );
}

/** Longest tweet text put into a prompt; tweets are 280 characters, this only guards odd inputs. */
export const MAX_TWEET_CHARS = 2000;
