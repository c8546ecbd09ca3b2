/** Details carry names, counts and ids only: never key material, plaintext or payloads. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * The one error base of Sec-Health: a machine-readable `code` from the module's own code enum, a
 * message that says what went wrong, and optional details. Each module declares
 * `class XError extends CodedError<XErrorCode> {}` with its codes; nothing else about the shape is
 * repeated. The class name becomes `name`, so logs and `describeError` tell the module apart.
 */
export class CodedError<
  Code extends string = string,
  Details extends ErrorDetails = ErrorDetails,
> extends Error {
  readonly code: Code;
  readonly details: Details | undefined;

  constructor(code: Code, message: string, details?: Details, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
    this.name = new.target.name;
  }
}

/** True for any CodedError (of any module), optionally with one of `codes`. */
export function isCodedError(value: unknown, ...codes: readonly string[]): value is CodedError {
  if (!(value instanceof CodedError)) return false;
  const { code } = value as CodedError;
  return codes.length === 0 || codes.includes(code);
}

/**
 * The type guard of one module's error class: `isXError(value, code?)` is true for an XError
 * (with that code, when given). Declared once per module as `errorGuard(XError)`.
 */
export function errorGuard<E extends CodedError>(
  type: abstract new (...args: never[]) => E,
): (value: unknown, code?: E['code']) => value is E {
  return (value: unknown, code?: E['code']): value is E =>
    value instanceof type && (code === undefined || value.code === code);
}
