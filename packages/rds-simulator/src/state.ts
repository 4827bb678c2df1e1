/** What the simulated RDS remembers across restarts, and how it is kept on disk (a JSON file, replaced atomically). */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isErrno } from './errno.js';

export interface FileDisk {
  slot: string;
  /** RouterOS file name of the backing file, without leading slash (`storage-pool/metal-csi/pvc-x.img`). */
  fileName: string;
  nvmeTcpExport: boolean;
  nvmeTcpServerPort: number;
  nvmeTcpServerNqn: string;
  /** `/disk set ... disabled=yes`: listed with flag `X`, serves nothing, cannot be copied from. */
  disabled?: boolean;
  /** `nvme-tcp-server-allow-host-name`: comma-separated host NQNs the export admits; empty or absent = any host. */
  nvmeTcpAllowHostName?: string;
}

export interface StoredFile {
  name: string;
  size: number;
}

export interface SimulatorState {
  /** File disks in creation order (their print numbers follow the built-in disks). */
  disks: FileDisk[];
  /** Files on the pool, by RouterOS name; a file outlives its disk until `/file remove`. */
  files: StoredFile[];
}

const stateSchema = z.object({
  version: z.literal(1),
  disks: z.array(
    z.object({
      slot: z.string(),
      fileName: z.string(),
      nvmeTcpExport: z.boolean(),
      nvmeTcpServerPort: z.number().int(),
      nvmeTcpServerNqn: z.string(),
      disabled: z.boolean().optional(),
      nvmeTcpAllowHostName: z.string().optional(),
    }),
  ),
  files: z.array(z.object({ name: z.string(), size: z.number().int().nonnegative() })),
});

export function emptyState(): SimulatorState {
  return { disks: [], files: [] };
}

export async function loadState(path: string): Promise<SimulatorState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return emptyState();
    throw err;
  }
  const { disks, files } = stateSchema.parse(JSON.parse(text));
  return { disks, files };
}

/** Writes to a temporary file and renames it over the old one, so a crash never leaves half a state file. */
export async function saveState(path: string, state: SimulatorState): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ version: 1, ...state }, null, 2)}\n`);
  await rename(temporary, path);
}

/**
 * Seeds `<dataDir>/state.json` with exported file disks named `slots` under `directory` (RouterOS names, without the
 * leading slash), each `sizeBytes` big, for scale tests and benches; no backing files are written (listing never
 * reads them). Restart the simulator on `dataDir` to load it.
 */
export async function seedExportedDisks(
  dataDir: string,
  directory: string,
  slots: readonly string[],
  sizeBytes = 1 << 30,
): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await saveState(join(dataDir, 'state.json'), {
    disks: slots.map((slot) => ({
      slot,
      fileName: `${directory}/${slot}.img`,
      nvmeTcpExport: true,
      nvmeTcpServerPort: 4420,
      nvmeTcpServerNqn: `nqn.2000-02.com.mikrotik:${slot}`,
    })),
    files: slots.map((slot) => ({ name: `${directory}/${slot}.img`, size: sizeBytes })),
  });
}
