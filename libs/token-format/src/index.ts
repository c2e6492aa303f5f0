export * from './token-format';
export * from './secret-generation';
