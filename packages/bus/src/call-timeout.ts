/** What a deadline needs of an outgoing @kubernetes/client-node request (its RequestContext). */
interface RequestWithSignal {
  setSignal(signal: AbortSignal): void;
}

/** How client-node authenticates a request: the KubeConfig an API client was made from is one. */
interface KubeAuthentication<C extends RequestWithSignal> {
  applySecurityAuthentication(context: C): void | Promise<void>;
}

/**
 * Per-call options for a @kubernetes/client-node (2.x) API call that abort it after `timeoutMs`, reading the body
 * included: `api.listNode({ limit }, kubeCallTimeout(kubeConfig, 10_000))`. The library sets no timeout on such
 * calls, so an API server that accepts a request and never answers would hold the caller forever. The signal rides
 * on the call's authentication step (`authMethods`, which a call may override), which first applies the
 * KubeConfig's own; a call's middleware would need client-node's Observable, and the bus does not depend on it.
 */
export function kubeCallTimeout<C extends RequestWithSignal>(auth: KubeAuthentication<C>, timeoutMs: number) {
  return {
    authMethods: {
      default: {
        getName: () => 'default',
        applySecurityAuthentication: async (context: C): Promise<void> => {
          await auth.applySecurityAuthentication(context);
          context.setSignal(AbortSignal.timeout(timeoutMs));
        },
      },
    },
  };
}
