// Benchmarks run as jest files (TypeScript and the @latchkey/* aliases for free), one at a time, printing figures.
module.exports = {
  ...require('../jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.bench.ts'],
  testTimeout: 900_000,
};
