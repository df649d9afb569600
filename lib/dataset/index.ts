export * from './types';
export { readTweetBatches, statTweetFile } from './reader';
export { normaliseRecord } from './normalise';
export {
  datasetLayout,
  discoverSources,
  resolveInside,
  sourceName,
  UPLOADS_FOLDER,
  type DatasetLayout,
} from './sources';
export { saveUpload, type UploadedBody } from './uploads';
