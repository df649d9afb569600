// npm run test:cluster (scripts/test-cluster.sh): the cluster suite only, never part of `npm test`.
const base = require('./jest.config');
const unit = base.projects.find((p) => p.displayName === 'unit');

/** @type {import('jest').Config} */
module.exports = {
  reporters: base.reporters,
  testTimeout: 1_800_000,
  projects: [
    { ...unit, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.test.ts'], testTimeout: 1_800_000 },
  ],
};
