import { ErrorCode, ProtocolError } from '@sec-health/protocol';

/**
 * Turns a failure of a dependency into the typed error a caller can act on, or leaves it
 * (undefined) to the next classifier. Services compose the classifiers of the libraries they use
 * (database, chain), so nothing a dependency does becomes INTERNAL (a 500).
 */
export type ErrorClassifier = (error: unknown) => ProtocolError | undefined;

/** DEPENDENCY_UNAVAILABLE (503) naming the dependency, when `isUnavailable` says so. */
export function unavailableWhen(
  dependency: string,
  isUnavailable: (error: unknown) => boolean,
): ErrorClassifier {
  return (error) =>
    isUnavailable(error)
      ? new ProtocolError(
          ErrorCode.DependencyUnavailable,
          `${dependency} is unavailable; retry shortly`,
          { dependency },
        )
      : undefined;
}

/** CONFLICT (409) when `isConflict` says so (e.g. a uniqueness violation). */
export function conflictWhen(isConflict: (error: unknown) => boolean): ErrorClassifier {
  return (error) =>
    isConflict(error)
      ? new ProtocolError(ErrorCode.Conflict, 'the request conflicts with the current state')
      : undefined;
}

export function classify(
  error: unknown,
  classifiers: readonly ErrorClassifier[],
): ProtocolError | undefined {
  for (const classifier of classifiers) {
    const typed = classifier(error);
    if (typed) return typed;
  }
  return undefined;
}
