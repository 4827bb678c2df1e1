import { RdsCsiError } from '@rds-csi/contracts';

/**
 * The steps of the link that each get their own deadline: the connect phases (TCP connect, banner, key exchange,
 * auth, then `ready`: the first health command answered), commands and health checks.
 */
export type LinkPhase =
  'tcp-connect' | 'banner' | 'key-exchange' | 'auth' | 'ready' | 'command' | 'health-check';

/** A link step that passed its deadline; callers branch on `phase`, never on the message. */
export class LinkTimeoutError extends RdsCsiError {
  override readonly name = 'LinkTimeoutError';
  constructor(
    readonly phase: LinkPhase,
    readonly timeoutMs: number,
  ) {
    super('UNAVAILABLE', `RDS ${phase} timed out after ${timeoutMs} ms`);
  }
}
