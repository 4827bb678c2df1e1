import { Observable, type ConfigurationOptions, type ObservableMiddleware } from '@kubernetes/client-node';

/** Bound of a Kubernetes call made outside any caller's deadline (orphan report, Events). */
export const KUBE_CALL_TIMEOUT_MS = 10_000;

/**
 * Options for one @kubernetes/client-node call that abort it after `timeoutMs`: the client has no timeout of its
 * own, and a hung API server must never hold up the reconciler.
 */
export function withDeadline(timeoutMs: number): ConfigurationOptions<ObservableMiddleware> {
  const deadline: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [deadline], middlewareMergeStrategy: 'append' };
}
