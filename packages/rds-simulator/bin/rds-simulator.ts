/**
 * Runs the RDS simulator as a process. Configuration comes from RDS_SIM_* environment variables or `--name=value`
 * arguments (see README.md). Prints one JSON line when listening: {"port":..,"host":..,"fingerprint":..,"hostKey":..}.
 * Then reads JSON control lines on stdin ({"action":"setHang","hang":true}) and answers each with one JSON line.
 * SIGTERM/SIGINT stop it cleanly.
 */
import { createInterface } from 'node:readline';
import { RdsSimulator } from '../src/index.js';
import {
  applyControl,
  argumentsToEnv,
  parseControlLine,
  processConfigFromEnv,
} from '../src/process-config.js';

async function main(): Promise<void> {
  const config = await processConfigFromEnv({ ...process.env, ...argumentsToEnv(process.argv.slice(2)) });
  const simulator = await RdsSimulator.start({
    ...config.options,
    log: (message, fields) => console.error(JSON.stringify({ msg: message, ...fields })),
  });
  const { failNext, hang, diskFull } = config.startupFaults;
  if (failNext) simulator.faults.failNext(failNext.count, failNext.message, failNext.exitCode);
  if (hang) simulator.faults.setHang(true);
  if (diskFull) simulator.faults.diskFull();

  console.log(
    JSON.stringify({
      host: simulator.host,
      port: simulator.port,
      fingerprint: simulator.hostKeyFingerprint,
      hostKey: simulator.hostKeyLine,
    }),
  );

  const controls = createInterface({ input: process.stdin });
  controls.on('line', (line) => {
    if (line.trim() === '') return;
    Promise.resolve()
      .then(() => applyControl(simulator, parseControlLine(line)))
      .then(
        () => console.log(JSON.stringify({ ok: true })),
        (err: unknown) =>
          console.log(JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) })),
      );
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    controls.close();
    simulator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
