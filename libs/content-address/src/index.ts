// Public surface of @sec-health/content-address: how ciphertext becomes IPFS content. Pure, no I/O.
export {
  CONTENT_CHUNK_SIZE,
  CONTENT_IMPORT_OPTIONS,
  CONTENT_MAX_CHILDREN_PER_NODE,
} from './import-options.js';
export { computeContentCid } from './content-cid.js';
export { DAG_PB_CODE, isContentCid, parseContentCid } from './parse-content-cid.js';
export {
  ContentAddressError,
  ContentAddressErrorCode,
  isContentAddressError,
  type ContentAddressErrorDetails,
  type InvalidCidReason,
} from './errors.js';
