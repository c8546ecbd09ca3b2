import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  freePort,
  isProcessAlive,
  isTestInfraError,
  provideNats,
  TestInfraErrorCode,
  type TestNats,
} from '../src/index.js';

/** Publishes on a fresh subject and checks a subscriber receives it. */
async function roundTrip(url: string): Promise<string> {
  const nc = await connect({ servers: url, timeout: 2_000, reconnect: false });
  try {
    const subject = `test.roundtrip.${Math.random().toString(36).slice(2)}`;
    const sub = nc.subscribe(subject, { max: 1, timeout: 5_000 });
    nc.publish(subject, 'ping');
    for await (const msg of sub) return msg.string();
    throw new Error('subscription ended without a message');
  } finally {
    await nc.close();
  }
}

describe('provideNats', () => {
  const started: TestNats[] = [];
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(started.splice(0).map((n) => n.stop()));
  });

  it('uses the local server on 127.0.0.1:4222 when it answers', async () => {
    const nats = await provideNats({ env: {}, docker: false });
    started.push(nats);
    expect(nats.source).toBe('local');
    expect(nats.url).toBe('nats://127.0.0.1:4222');
    expect(nats.jetstream).toBe(true);
    expect(nats.pid).toBeUndefined();
    expect(await roundTrip(nats.url)).toBe('ping');
  });

  it('starts nats-server with JetStream on a free port when nothing answers, and stop() kills it', async () => {
    const closed = await freePort();
    const nats = await provideNats({
      env: { PATH: process.env.PATH },
      docker: false,
      localUrl: `nats://127.0.0.1:${closed}`,
    });
    started.push(nats);
    expect(nats.source).toBe('process');
    expect(nats.jetstream).toBe(true);
    expect(nats.url).not.toBe(`nats://127.0.0.1:${closed}`);
    const pid = nats.pid!;
    expect(isProcessAlive(pid)).toBe(true);
    expect(await roundTrip(nats.url)).toBe('ping');

    await nats.stop();
    await nats.stop();
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('uses NATS_URL from the environment when it is set', async () => {
    vi.stubEnv('NATS_URL', 'nats://127.0.0.1:4222');
    const nats = await provideNats();
    started.push(nats);
    expect(nats.source).toBe('env');
    expect(await roundTrip(nats.url)).toBe('ping');
  });

  it('fails clearly when NATS_URL does not answer', async () => {
    const port = await freePort();
    const error = await provideNats({ env: { NATS_URL: `nats://127.0.0.1:${port}` } }).catch(
      (e: unknown) => e,
    );
    expect(isTestInfraError(error, TestInfraErrorCode.NatsUnavailable)).toBe(true);
    expect((error as Error).message).toContain('NATS_URL');
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  });

  it('names every way to provide NATS when none is available', async () => {
    const port = await freePort();
    const emptyDir = await mkdtemp(join(tmpdir(), 'sec-health-empty-'));
    const error = await provideNats({
      env: { PATH: emptyDir },
      docker: false,
      localUrl: `nats://127.0.0.1:${port}`,
      natsServerDirs: [],
    })
      .catch((e: unknown) => e)
      .finally(() => rm(emptyDir, { recursive: true, force: true }));
    expect(isTestInfraError(error, TestInfraErrorCode.NatsUnavailable)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('NATS_URL');
    expect(message).toContain('start-stop-daemon');
    expect(message).toContain('nats-server in PATH');
    expect(message).toContain('Docker');
  });
});
