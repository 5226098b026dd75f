// Which errors mean "the database is away" (a 503 with Retry-After) rather than a
// bug (500) or a refused request (4xx): the cases the process tests cannot all
// bring about (PostgreSQL shutting down, too many connections, a full disk).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { databaseRefusal, databaseUnavailable } from '../../src/web/error-handler.js';

const withCode = (code: string, extra: object = {}) => Object.assign(new Error('database error'), { code, ...extra });

test('connection failures, PostgreSQL going down and a locked or read-only SQLite file are "unavailable"', () => {
  const away = [
    withCode('ECONNREFUSED'),
    withCode('ECONNRESET'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    withCode('57P01', { severity: 'FATAL' }),
    withCode('57P03', { severity: 'FATAL' }),
    withCode('53300', { severity: 'FATAL' }),
    withCode('08006', { severity: 'FATAL' }),
    withCode('SQLITE_BUSY'),
    withCode('SQLITE_BUSY_SNAPSHOT'),
    withCode('SQLITE_READONLY'),
    withCode('SQLITE_FULL'),
    new Error('wrapped', { cause: withCode('ECONNREFUSED') }),
  ];
  for (const error of away) {
    const shape = databaseUnavailable(error);
    assert.equal(shape?.status, 503, `${error.message} ${(error as { code?: string }).code ?? ''}`);
    assert.equal(shape.code, 'unavailable');
    assert.equal(shape.retryAfter, 30);
  }
});

test('a refused value, a bug or an unknown error is not "unavailable"', () => {
  for (const error of [
    withCode('SQLITE_CONSTRAINT_UNIQUE'),
    withCode('23505', { severity: 'ERROR' }),
    withCode('42P01', { severity: 'ERROR' }),
    new TypeError('Cannot read properties of undefined'),
    new Error('Connection refused by the rules'),
  ]) {
    assert.equal(databaseUnavailable(error), null, error.message);
  }
  assert.equal(databaseRefusal(withCode('SQLITE_BUSY')), null);
});
