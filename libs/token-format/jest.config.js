module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'token-format',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
