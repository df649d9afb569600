export {
  ingestFile,
  ingestSources,
  MAX_LISTED_INVALID,
  type SourceSet,
  type DatasetReader,
  type IngestDeps,
  type IngestProgress,
} from './ingest';
export { tagFromIndex, tagLeaseName, type TagDeps, type TagParams } from './tag';
export { BulkWriter } from './bulk-writer';
export { takeLease, LEASE_TTL_MS } from './leases';
export { reindexTweets, type ReindexDeps } from './reindex';
