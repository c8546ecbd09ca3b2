import { toBase64Url } from '@sec-health/crypto';
import {
  type ListRecordsRequest,
  type ReadContentRequest,
  type RecordHistory,
  type RecordList,
} from '@sec-health/protocol';
import { requireActor, type Actor } from '@sec-health/service-kit';
import { Inject, Injectable } from '@nestjs/common';

import { CONTEXT, type StorageContext } from '../runtime/runtime.js';
import { notFound } from './record-errors.js';
import { RecordsService } from './records.service.js';

/** Lists, histories and content reads: what a reader may see, and nothing of the rest. */
@Injectable()
export class RecordQueriesService {
  constructor(
    @Inject(CONTEXT) private readonly context: StorageContext,
    private readonly records: RecordsService,
  ) {}

  /**
   * The latest version of each of the patient's records the caller may read. A page may hold
   * fewer than `limit` items when some are not the caller's to read; `next` goes on from there.
   */
  async list(actor: Actor | undefined, request: ListRecordsRequest): Promise<RecordList> {
    const who = requireActor(actor);
    const rows = await this.context.runtime.records.search(request, request.limit);
    const visible = [];
    for (const row of rows) if (await this.records.mayRead(who, row)) visible.push(row);
    return {
      items: await this.records.views(visible),
      next: rows.length === request.limit ? rows.at(-1)!.recordId : null,
    };
  }

  async history(actor: Actor | undefined, recordId: string): Promise<RecordHistory> {
    const who = requireActor(actor);
    const rows = await this.context.runtime.records.versionsOf(recordId);
    const visible = [];
    for (const row of rows) {
      if (row.status === 'stored' && (await this.records.mayRead(who, row))) visible.push(row);
    }
    if (visible.length === 0) throw notFound('no such record');
    return { recordId, versions: await this.records.views(visible) };
  }

  /** One range of a version's ciphertext, for a caller who may read it now. */
  async read(actor: Actor | undefined, request: ReadContentRequest) {
    const { row } = await this.records.readable(
      requireActor(actor),
      request.recordId,
      request.version,
    );
    await this.records.assertRecentlyIntact(row);
    const end = Math.min(row.size, request.offset + request.length);
    if (request.offset >= row.size) return { data: '', eof: true };
    const parts: Uint8Array[] = [];
    let length = 0;
    for await (const part of this.context.runtime.content.read(row.cid, {
      offset: request.offset,
      length: end - request.offset,
    })) {
      parts.push(part);
      length += part.length;
    }
    return { data: toBase64Url(Buffer.concat(parts, length)), eof: end === row.size };
  }
}
