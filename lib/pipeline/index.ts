export * from './types';
export { tagTweets, type TagDeps } from './run';
export { selectTweets, MAX_LISTED_INVALID } from './select';
