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
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  setupFiles: ['<rootDir>/test/setup-env.js'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-tmpdir.js'],
  testTimeout: 60000,
};
