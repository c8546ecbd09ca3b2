import type { Msg } from '@nats-io/transport-node';
import { Transport } from '@nestjs/microservices';
import { describe, expect, it } from 'vitest';

import { LenientNatsDeserializer, natsMicroserviceOptions, NOT_JSON } from './nats-options.js';

function msg(body: string): Msg {
  const data = new TextEncoder().encode(body);
  return { data, json: () => JSON.parse(body) as unknown } as unknown as Msg;
}

const options = { channel: 'svc.thing.get', replyTo: '_INBOX.1' };

describe('LenientNatsDeserializer', () => {
  const deserializer = new LenientNatsDeserializer();

  it('passes Nest packets through', () => {
    const packet = { pattern: 'svc.thing.get', data: { a: 1 }, id: 'x' };
    expect(deserializer.deserialize(msg(JSON.stringify(packet)), options)).toEqual(packet);
  });

  it('answers plain JSON requests, with the reply subject as packet id', () => {
    expect(deserializer.deserialize(msg('{"a":1}'), options)).toEqual({
      pattern: 'svc.thing.get',
      data: { a: 1 },
      id: '_INBOX.1',
    });
  });

  it('turns a body that is not JSON into NOT_JSON, and an empty one into undefined', () => {
    expect(deserializer.deserialize(msg('{"a":'), options).data).toBe(NOT_JSON);
    expect(deserializer.deserialize(msg(''), options).data).toBeUndefined();
  });
});

describe('natsMicroserviceOptions', () => {
  it('listens on NATS in the service queue group', () => {
    const config = natsMicroserviceOptions({ url: 'nats://127.0.0.1:4222', service: 'authority' });
    expect(config.transport).toBe(Transport.NATS);
    expect(config.options).toMatchObject({
      servers: ['nats://127.0.0.1:4222'],
      queue: 'authority',
    });
  });
});
