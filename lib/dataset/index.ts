export * from './types';
export { readTweetBatches, statTweetFile } from './reader';
export { normaliseRecord } from './normalise';
/** @deprecated see ./compat */
export { fileTweetSource, readTweetFile, type TweetSource } from './compat';
