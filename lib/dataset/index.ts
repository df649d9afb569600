export * from './types';
export { readTweetBatches, statTweetFile } from './reader';
export { normaliseRecord } from './normalise';
