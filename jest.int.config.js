module.exports = {
  ...require('./jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts', '<rootDir>/e2e/**/*.e2e-spec.ts'],
  testTimeout: 120000,
};
