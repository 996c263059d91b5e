/**
 * NestJS 12 and @scure/bip39's word lists ship as ES modules, which Jest's CommonJS runtime cannot
 * require on Node 20; those packages are compiled to CommonJS by ts-jest like our own sources (and
 * cached after the first run).
 */
const esmPackages = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  'load-esm',
  '@tokenizer',
  'uid',
  'path-to-regexp',
  '@scure',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.m?js$': '<rootDir>/test/support/esm-to-cjs.transform.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};
