const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  // Many suites wait on child processes and loopback servers; two workers keep a 2-core machine
  // busy where jest's default (cores - 1) would run them one at a time.
  maxWorkers: Math.max(2, os.cpus().length - 1),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The enterprise at scale (400 products, 25 capabilities) runs apart: `npm run test:scale`.
  testPathIgnorePatterns: ['/node_modules/', '\\.scale\\.test\\.ts$'],
  // Test files run one after another in each worker's own Node.js process, so aws-cdk-lib, cdk-nag
  // and our sources load once per worker rather than once per file (DEC-042). TypeScript is
  // compiled on load by tsx (test/setup-typescript.mjs). test/setup-file-isolation.js gives each
  // file the environment and working directory it started with, each test its timeout, and each
  // worker a temporary directory of its own.
  runner: 'jest-light-runner/child-process',
  setupFiles: ['<rootDir>/test/setup-typescript.mjs', '<rootDir>/test/setup-env.js'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-file-isolation.js'],
  testTimeout: 60000,
};
