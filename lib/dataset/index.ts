export * from './types';
export { readTweetFile } from './reader';
export { readTweetBatches, statTweetFile } from './batches';
export { normaliseRecord } from './normalise';
