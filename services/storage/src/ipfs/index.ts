// The storage service's IPFS side: where record ciphertext lives as content.
export type { AddedContent, ContentStore, ReadContentOptions } from './content-store.js';
export {
  ContentStoreError,
  ContentStoreErrorCode,
  isContentStoreError,
} from './content-store-error.js';
export {
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_LISTEN,
  HeliaContentStore,
  startHeliaContentStore,
  type ContentStoreLogger,
  type HeliaContentStoreOptions,
} from './helia-content-store.js';
