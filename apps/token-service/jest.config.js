module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'token-service',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
