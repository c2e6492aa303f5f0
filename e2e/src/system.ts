// The system launcher moved to libs/testing so benchmarks can use it too.
export * from '@latchkey/testing';
