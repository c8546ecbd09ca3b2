import { describe, expect, it } from 'vitest';

import { CodedError, errorGuard, isCodedError } from './coded-error.js';

const FruitErrorCode = { Bruised: 'FRUIT_BRUISED', Missing: 'FRUIT_MISSING' } as const;
type FruitErrorCode = (typeof FruitErrorCode)[keyof typeof FruitErrorCode];
class FruitError extends CodedError<FruitErrorCode> {}

describe('CodedError', () => {
  it('carries code, message, details and cause, and is named after the subclass', () => {
    const cause = new Error('underlying');
    const error = new FruitError(FruitErrorCode.Bruised, 'apple: bruised', { count: 2 }, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CodedError);
    expect(error.name).toBe('FruitError');
    expect(error.code).toBe('FRUIT_BRUISED');
    expect(error.message).toBe('apple: bruised');
    expect(error.details).toEqual({ count: 2 });
    expect(error.cause).toBe(cause);
  });

  it('tells coded errors and their codes apart', () => {
    const error = new FruitError(FruitErrorCode.Missing, 'pear: missing');
    expect(isCodedError(error)).toBe(true);
    expect(isCodedError(error, FruitErrorCode.Missing)).toBe(true);
    expect(isCodedError(error, FruitErrorCode.Bruised)).toBe(false);
    expect(isCodedError(error, FruitErrorCode.Bruised, FruitErrorCode.Missing)).toBe(true);
    expect(isCodedError(new Error('plain'))).toBe(false);
    expect(isCodedError({ code: 'FRUIT_MISSING', message: 'forged' })).toBe(false);
  });
});

describe('errorGuard', () => {
  class VegetableError extends CodedError<'VEG_ROTTEN' | 'VEG_RAW'> {}
  const isVegetableError = errorGuard(VegetableError);

  it("tells one module's errors, and their codes, from any other", () => {
    const error = new VegetableError('VEG_RAW', 'carrot: raw');
    expect(isVegetableError(error)).toBe(true);
    expect(isVegetableError(error, 'VEG_RAW')).toBe(true);
    expect(isVegetableError(error, 'VEG_ROTTEN')).toBe(false);
    expect(isVegetableError(new FruitError(FruitErrorCode.Missing, 'pear'))).toBe(false);
    expect(isVegetableError(new Error('plain'))).toBe(false);
  });
});
