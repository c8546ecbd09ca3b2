import { describe, expect, it } from 'vitest';

import { snakeCase, SnakeNamingStrategy } from './naming-strategy.js';

describe('snake_case naming', () => {
  it('converts property and class names', () => {
    expect(snakeCase('recordId')).toBe('record_id');
    expect(snakeCase('HTTPServer')).toBe('http_server');
    expect(snakeCase('sha256Hash')).toBe('sha256_hash');
    expect(snakeCase('already_snake')).toBe('already_snake');
    const naming = new SnakeNamingStrategy();
    expect(naming.tableName('EmergencyPolicy', undefined)).toBe('emergency_policy');
    expect(naming.tableName('EmergencyPolicy', 'policies')).toBe('policies');
    expect(naming.columnName('createdAt', '', [])).toBe('created_at');
    expect(naming.columnName('city', '', ['homeAddress'])).toBe('home_address_city');
  });
});
