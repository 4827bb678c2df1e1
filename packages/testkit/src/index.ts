export * from './wait.js';
export * from './ports.js';
export * from './nats-server.js';
export * from './nats-cluster.js';
export * from './kube-api/objects.js';
export * from './kube-api/server.js';
export * from './nvme-loop/index.js';
