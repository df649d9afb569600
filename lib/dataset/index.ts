export * from './types';
export { fileTweetSource, readTweetFile, type TweetSource } from './reader';
export { normaliseRecord } from './normalise';
