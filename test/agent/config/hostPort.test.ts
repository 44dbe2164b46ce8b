import { describe, expect, it } from 'vitest';
import { formatHostPort, parseHostPort } from '../../../agent/config/index.js';

describe('formatHostPort', () => {
  it.each([
    { name: 'IPv4', hp: { host: '127.0.0.1', port: 7401 }, text: '127.0.0.1:7401' },
    { name: 'a name', hp: { host: 'localhost', port: 7401 }, text: 'localhost:7401' },
    { name: 'IPv6 loopback', hp: { host: '::1', port: 7401 }, text: '[::1]:7401' },
    { name: 'IPv6 written out', hp: { host: '0:0:0:0:0:0:0:1', port: 9 }, text: '[0:0:0:0:0:0:0:1]:9' },
    { name: 'IPv4-mapped IPv6', hp: { host: '::ffff:127.0.0.1', port: 1 }, text: '[::ffff:127.0.0.1]:1' },
  ])('$name: $text, and back', ({ hp, text }) => {
    expect(formatHostPort(hp)).toBe(text);
    expect(parseHostPort(text)).toEqual(hp);
  });

  it('makes a valid http URL for an IPv6 listen address (http://::1:7401 is not one)', () => {
    expect(() => new URL('http://::1:7401')).toThrow();
    const url = new URL(`http://${formatHostPort({ host: '::1', port: 7401 })}/v1/health`);
    expect(url.hostname).toBe('[::1]');
    expect(url.port).toBe('7401');
    expect(url.href).toBe('http://[::1]:7401/v1/health');
  });
});
