export { runCli, EXIT, type CliIo } from './cli.js';
export { AdminClient, type ConnectSettings, type InstanceStats } from './client.js';
