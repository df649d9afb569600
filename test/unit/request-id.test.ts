import { incomingRequestId } from '../../lib/http/middleware';

describe('incoming x-request-id', () => {
  it('is kept when it is a sane id, whatever the header case', () => {
    expect(incomingRequestId({ 'x-request-id': 'f3b1c2d4-0a1b-4c5d-8e9f-0123456789ab' })).toBe(
      'f3b1c2d4-0a1b-4c5d-8e9f-0123456789ab',
    );
    expect(incomingRequestId({ 'X-Request-Id': 'web:42.a_b' })).toBe('web:42.a_b');
  });

  it.each([['has spaces'], ['a'.repeat(129)], ['line\nbreak'], ['{"json":1}'], [''], ['<script>']])(
    '%j is replaced',
    (value) => {
      expect(incomingRequestId({ 'x-request-id': value })).toBeUndefined();
    },
  );

  it('absent headers give none', () => {
    expect(incomingRequestId(undefined)).toBeUndefined();
    expect(incomingRequestId({ accept: '*/*' })).toBeUndefined();
  });
});
