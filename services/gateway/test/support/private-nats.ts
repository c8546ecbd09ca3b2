import { provideSecureNats, type SecureTestNats } from '@sec-health/testing';

/**
 * A private nats-server for one suite, configured as npm start runs it: each principal with its
 * own NKey and subject permissions, nobody anonymous. The gateway connects as `gateway`, the
 * stand-in as `authority`.
 */
export function privateNats(): Promise<SecureTestNats> {
  return provideSecureNats({ extraPrincipals: [{ name: 'intruder' }] });
}
