export * from './wait-for';
export * from './infra';
export * from './service-process';
export * from './system';
export * from './oidc-login';
export * from './token-view.fixture';
