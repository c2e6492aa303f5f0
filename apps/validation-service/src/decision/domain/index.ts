export * from './cidr.util';
export * from './credentials.util';
export * from './validation.decider';
