module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'dev-idp',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
