import { outboxChannel } from '@sec-health/persistence';
import pg from 'pg';
import type { DataSource } from 'typeorm';

type Wake = () => void;

/**
 * One LISTEN connection per data source and schema, shared by every waiter in the process, so
 * awaiting an anchor costs no connection setup and no LISTEN/UNLISTEN round trips. It is a
 * separate client, not one of the pool's, so that destroying the data source never waits for it;
 * it does not keep the process alive. Waiters also poll, so a lost connection delays, never loses.
 */
class DoneListener {
  readonly #waiters = new Map<string, Set<Wake>>();
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly channel: string,
  ) {}

  /** Resolves when `id` is reported done or after `ms`, whichever comes first. */
  wait(id: string, ms: number): { done: Promise<void>; cancel: () => void } {
    let wake: Wake = () => undefined;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      wake = () => {
        clearTimeout(timer);
        this.#waiters.get(id)?.delete(wake);
        resolve();
      };
      timer = setTimeout(wake, ms);
    });
    let set = this.#waiters.get(id);
    if (!set) this.#waiters.set(id, (set = new Set()));
    set.add(wake);
    return { done, cancel: wake };
  }

  /** Connects and LISTENs if not yet done; failures are left to the waiters' polling. */
  async ensure(): Promise<void> {
    if (this.#client) return;
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined));
    await this.#connecting;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on('notification', (message) => {
      if (message.payload) this.#waiters.get(message.payload)?.forEach((wake) => wake());
    });
    client.on('error', () => {
      if (this.#client === client) this.#client = undefined;
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
      (
        client as unknown as { connection: { stream: { unref(): void } } }
      ).connection.stream.unref();
      this.#client = client;
    } catch {
      await client.end().catch(() => undefined);
    }
  }
}

const listeners = new WeakMap<DataSource, Map<string, DoneListener>>();

/** The shared listener for `schema`'s done channel, or undefined when the URL is not known. */
export function doneListener(dataSource: DataSource, schema: string): DoneListener | undefined {
  const url = (dataSource.options as { url?: unknown }).url;
  if (typeof url !== 'string') return undefined;
  let bySchema = listeners.get(dataSource);
  if (!bySchema) listeners.set(dataSource, (bySchema = new Map<string, DoneListener>()));
  let listener = bySchema.get(schema);
  if (!listener)
    bySchema.set(schema, (listener = new DoneListener(url, outboxChannel(schema, 'done'))));
  return listener;
}
