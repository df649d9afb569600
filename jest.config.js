// Four projects: `unit` needs nothing running (npm run test:unit, seconds); `integration`, `property` and `http`
// talk to a real Elasticsearch, checked once by the global setup. `npm test` runs all three.
const shared = {
  testEnvironment: '<rootDir>/test/support/environment.js',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs', ignoreDynamic: true },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  testTimeout: 120000,
};
const withElasticsearch = { ...shared, globalSetup: '<rootDir>/test/support/global-setup.ts' };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...withElasticsearch, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...withElasticsearch, displayName: 'property', testMatch: ['<rootDir>/test/property/**/*.test.ts'] },
    { ...withElasticsearch, displayName: 'http', testMatch: ['<rootDir>/test/http/**/*.test.ts'] },
  ],
};
