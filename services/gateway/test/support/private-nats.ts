import { freePort, provideNats, type TestNats } from '@sec-health/testing';

/**
 * A NATS server for one suite. The stand-in answers `authority.*`, which a real authority on the
 * shared local server would answer too, so unless NATS_URL says otherwise the suite starts its own.
 */
export async function privateNats(): Promise<TestNats> {
  const unused = await freePort();
  return provideNats({ docker: false, localUrl: `nats://127.0.0.1:${unused}` });
}
