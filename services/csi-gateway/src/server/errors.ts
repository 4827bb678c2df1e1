import { status } from '@grpc/grpc-js';
import { RdsCsiError } from '@rds-csi/contracts';
import { MAX_DETAILS_CHARS, bounded } from './bounded.js';

export interface GrpcFailure {
  code: status;
  /** The code name, as metrics and logs show it. */
  codeName: string;
  details: string;
  /** False for failures nobody planned for: logged with their stack, shown to the client only generically. */
  expected: boolean;
}

/**
 * Maps anything an RPC throws to a gRPC status. RdsCsiErrors (local validation, or a bus reply carrying the remote
 * service's code) keep their code and message; anything else is INTERNAL with a generic message, so no stack trace
 * or internal detail reaches the client.
 */
export function toGrpcFailure(err: unknown): GrpcFailure {
  if (err instanceof RdsCsiError) {
    return {
      code: err.grpcStatus,
      codeName: err.code,
      details: bounded(err.message, MAX_DETAILS_CHARS),
      expected: true,
    };
  }
  return {
    code: status.INTERNAL,
    codeName: 'INTERNAL',
    details: 'internal error in the CSI gateway',
    expected: false,
  };
}
