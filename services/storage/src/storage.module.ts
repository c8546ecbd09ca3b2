import { Module, type DynamicModule } from '@nestjs/common';

import { HealthController } from './health/health.controller.js';
import { RecordQueriesService } from './records/record-queries.service.js';
import { RecordsController } from './records/records.controller.js';
import { RecordsService } from './records/records.service.js';
import { CONTEXT, type StorageContext } from './runtime/runtime.js';
import { UploadsService } from './uploads/uploads.service.js';

/** Controllers and services over one StorageContext built before Nest starts. */
@Module({})
export class StorageModule {
  static with(context: StorageContext): DynamicModule {
    return {
      module: StorageModule,
      controllers: [RecordsController, HealthController],
      providers: [
        { provide: CONTEXT, useValue: context },
        RecordsService,
        RecordQueriesService,
        UploadsService,
      ],
    };
  }
}
