export * from './limits';
export * from './names';
export * from './trigger';
export * from './event-definition';
export * from './api-error';
export * from './origins';
export * from './tracker-config';
