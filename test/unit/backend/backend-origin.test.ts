import { describe, expect, it } from 'vitest';
import { isCleartextRemote, originPattern } from '../../../lib/backend/backend-origin';

describe('isCleartextRemote', () => {
  it.each([
    ['http://crm.example.com', true],
    ['http://192.168.1.20:8787', true],
    ['http://localhost.evil.example:8787', true],
    ['http://127.0.0.2:8787', true],
    ['http://localhost:8787', false],
    ['http://127.0.0.1:8787/', false],
    ['http://[::1]:8787', false],
    ['https://crm.example.com', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isCleartextRemote(url)).toBe(expected);
  });
});

describe('originPattern', () => {
  it.each([
    ['https://crm.example.com/base/path?x=1', 'https://crm.example.com/*'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1/*'],
    ['http://localhost:3000/', 'http://localhost/*'],
  ])('%s → %s (match patterns have no port)', (url, expected) => {
    expect(originPattern(url)).toBe(expected);
  });
});
