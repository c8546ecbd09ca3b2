import { CodedError, errorGuard } from '@sec-health/errors';

/** Every failure of this library is a ContentAddressError with one of these codes. */
export const ContentAddressErrorCode = {
  /**
   * The text is not a content CID as Sec-Health writes them: CIDv1, lower-case base32, codec raw
   * or dag-pb, SHA-256. `details.reason` says which rule it broke.
   */
  InvalidCid: 'CONTENT_ADDRESS_INVALID_CID',
} as const;
export type ContentAddressErrorCode =
  (typeof ContentAddressErrorCode)[keyof typeof ContentAddressErrorCode];

/** Which rule a refused CID broke. */
export type InvalidCidReason =
  'not-a-string' | 'malformed' | 'not-base32' | 'version' | 'codec' | 'hash';

export type ContentAddressErrorDetails = Readonly<{
  parameter: string;
  reason: InvalidCidReason;
}>;

export class ContentAddressError extends CodedError<
  ContentAddressErrorCode,
  ContentAddressErrorDetails
> {
  declare readonly details: ContentAddressErrorDetails;
}

export const isContentAddressError = errorGuard(ContentAddressError);

export function invalidCid(
  parameter: string,
  reason: InvalidCidReason,
  problem: string,
  cause?: unknown,
): ContentAddressError {
  return new ContentAddressError(
    ContentAddressErrorCode.InvalidCid,
    `${parameter}: ${problem}`,
    { parameter, reason },
    cause === undefined ? undefined : { cause },
  );
}
