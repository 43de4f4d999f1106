// Browser tests of the staff console (`npm run test:console` after `npm run build`): the BUILT service
// (node dist/src/main.js) on a database cloned from the run's embedded PostgreSQL, driven in Debian's
// Chromium by playwright-core. One file at a time: Chromium and the service share 2 cores.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|@fastify/static)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  maxWorkers: 1,
  testTimeout: 120_000,
  slowTestThreshold: 60,
  // One file runs in band, beside the embedded PostgreSQL of the global setup, whose stop outlasts
  // Jest's default 1 s wait for a clean exit.
  openHandlesTimeout: 10_000,
};
