import { ErrorCode, ProtocolError } from '@sec-health/protocol';

export interface LimiterStats {
  readonly inFlight: number;
  readonly queued: number;
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  /** Requests refused as overloaded since the start. */
  readonly refused: number;
}

/**
 * Bounds a service's concurrent work: at most `maxConcurrent` requests run, at most `maxQueued`
 * wait (each at most `maxWaitMs`), and anything beyond is refused at once with OVERLOADED (503),
 * so a flood is answered quickly and the requests already admitted are not starved.
 */
export class ConcurrencyLimiter {
  private inFlight = 0;
  private refused = 0;
  private readonly waiting: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly service: string,
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
    private readonly maxWaitMs = 2_000,
  ) {}

  /** Runs `fn` within the bound, or throws OVERLOADED. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  stats(): LimiterStats {
    return {
      inFlight: this.inFlight,
      queued: this.waiting.length,
      maxConcurrent: this.maxConcurrent,
      maxQueued: this.maxQueued,
      refused: this.refused,
    };
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.maxConcurrent) {
      this.inFlight++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueued) return Promise.reject(this.overloaded());
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(this.overloaded());
        }, this.maxWaitMs),
      };
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.grant();
    else this.inFlight--;
  }

  private overloaded(): ProtocolError {
    this.refused++;
    return new ProtocolError(
      ErrorCode.Overloaded,
      `${this.service} is at its limit of ${this.maxConcurrent} concurrent requests; retry shortly`,
      { service: this.service, retryAfterSeconds: 1 },
    );
  }
}
