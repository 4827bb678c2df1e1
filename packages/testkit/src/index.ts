export * from './wait.js';
export * from './ports.js';
export * from './nats-server.js';
export * from './bus.js';
