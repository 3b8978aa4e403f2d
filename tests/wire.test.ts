import { SignatureError, deserialize, newHeader, serialize, sign } from '../src/lab/wire';
import * as crypto from 'crypto';

describe('Jupyter wire protocol', () => {
  const key = 'a0b1c2d3';
  const message = { header: newHeader('execute_request', 'session-1'), parent_header: {}, metadata: {}, content: { code: '1 + 1' }, buffers: [] };

  test('serialize then deserialize round-trips and the signature is HMAC-SHA256 of the four frames', () => {
    const frames = serialize(message, key, 'hmac-sha256');
    expect(frames[0].toString()).toBe('<IDS|MSG>');
    const expected = crypto.createHmac('sha256', key);
    frames.slice(2, 6).forEach((f) => expected.update(f));
    expect(frames[1].toString()).toBe(expected.digest('hex'));
    const back = deserialize([Buffer.from('zmq-identity'), ...frames], key, 'hmac-sha256');
    expect(back.header).toEqual(message.header);
    expect(back.content).toEqual({ code: '1 + 1' });
  });

  test('a tampered message or a wrong key is rejected', () => {
    const frames = serialize(message, key, 'hmac-sha256');
    const tampered = [...frames];
    tampered[5] = Buffer.from(JSON.stringify({ code: 'rm -rf /' }));
    expect(() => deserialize(tampered, key, 'hmac-sha256')).toThrow('signature does not verify');
    expect(() => deserialize(frames, 'other-key', 'hmac-sha256')).toThrow('signature does not verify');
  });

  test('a bad signature throws a SignatureError (what the kernel client counts and reports)', () => {
    const frames = serialize(message, key, 'hmac-sha256');
    const flipped = [...frames];
    const sig = frames[1].toString();
    flipped[1] = Buffer.from((sig[0] === '0' ? '1' : '0') + sig.slice(1)); // one hex digit off
    expect(() => deserialize(flipped, key, 'hmac-sha256')).toThrow(SignatureError);
    // Same length in characters, not in bytes: rejected, not a RangeError from timingSafeEqual.
    const multibyte = [...frames];
    multibyte[1] = Buffer.from('é'.repeat(sig.length));
    expect(() => deserialize(multibyte, key, 'hmac-sha256')).toThrow(SignatureError);
    for (const bad of ['', sig.slice(0, -1), sig + '0', sig.toUpperCase()]) {
      const f = [...frames];
      f[1] = Buffer.from(bad);
      expect(() => deserialize(f, key, 'hmac-sha256')).toThrow(SignatureError);
    }
    // A signed message with parts swapped (content as metadata) does not verify either.
    const swapped = [...frames];
    [swapped[4], swapped[5]] = [swapped[5], swapped[4]];
    expect(() => deserialize(swapped, key, 'hmac-sha256')).toThrow(SignatureError);
  });

  test('a correctly signed frame that is not JSON is malformed, not a crash', () => {
    const parts = [Buffer.from('{"msg_type":"x"}'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{not json')];
    const frames = [Buffer.from('<IDS|MSG>'), Buffer.from(sign(key, 'hmac-sha256', parts)), ...parts];
    expect(() => deserialize(frames, key, 'hmac-sha256')).toThrow('malformed message (a frame is not JSON');
  });

  test('missing delimiter is reported as malformed', () => {
    expect(() => deserialize([Buffer.from('x')], key, 'hmac-sha256')).toThrow('malformed message');
  });

  test('empty key means unsigned messages', () => {
    expect(sign('', 'hmac-sha256', [Buffer.from('x')])).toBe('');
  });
});
