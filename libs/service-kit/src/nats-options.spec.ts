import type { Msg } from '@nats-io/transport-node';
import { Transport } from '@nestjs/microservices';
import { describe, expect, it } from 'vitest';

import {
  BareJsonDeserializer,
  BareReplySerializer,
  natsMicroserviceOptions,
  NOT_JSON,
} from './nats-options.js';

function msg(body: string): Msg {
  const data = new TextEncoder().encode(body);
  return { data, json: () => JSON.parse(body) as unknown } as unknown as Msg;
}

const options = { channel: 'svc.thing.get', replyTo: '_INBOX_gateway.1' };

describe('BareJsonDeserializer', () => {
  const deserializer = new BareJsonDeserializer();

  it('takes any JSON body as the data, with the reply subject as the packet id', () => {
    expect(deserializer.deserialize(msg('{"a":1}'), options)).toEqual({
      pattern: 'svc.thing.get',
      data: { a: 1 },
      id: '_INBOX_gateway.1',
    });
  });

  it.each(['{"data":{"a":1}}', '{"pattern":"x"}', '{"pattern":"x","data":1,"id":"forged"}'])(
    'answers a body with Nest packet keys like any other (issue #10 finding 13): %s',
    (body) => {
      const packet = deserializer.deserialize(msg(body), options);
      expect(packet.id).toBe('_INBOX_gateway.1');
      expect(packet.pattern).toBe('svc.thing.get');
      expect(packet.data).toEqual(JSON.parse(body));
    },
  );

  it('turns a body that is not JSON into NOT_JSON, and an empty one into undefined', () => {
    expect(deserializer.deserialize(msg('{"a":'), options).data).toBe(NOT_JSON);
    expect(deserializer.deserialize(msg(''), options).data).toBeUndefined();
  });

  it('gives no id to a message without a reply subject (an event)', () => {
    expect(deserializer.deserialize(msg('{}'), { channel: 'events.x.y' }).id).toBeUndefined();
  });
});

describe('BareReplySerializer', () => {
  const serializer = new BareReplySerializer();

  it('sends the handler reply bare, and a Nest failure as a typed error reply', () => {
    expect(serializer.serialize({ response: { ok: true, data: 1 }, isDisposed: true }).data).toBe(
      '{"ok":true,"data":1}',
    );
    expect(
      JSON.parse(serializer.serialize({ err: 'There is no matching message handler' }).data),
    ).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'the service could not answer' },
    });
  });
});

describe('natsMicroserviceOptions', () => {
  it('listens on NATS as its own principal, in the service queue group', () => {
    const config = natsMicroserviceOptions({
      nats: { url: 'nats://127.0.0.1:4222', nkeySeedFile: undefined, tls: undefined },
      service: 'authority',
    });
    expect(config.transport).toBe(Transport.NATS);
    expect(config.options).toMatchObject({
      servers: ['nats://127.0.0.1:4222'],
      queue: 'authority',
      name: 'authority',
      inboxPrefix: '_INBOX_authority',
    });
  });
});
