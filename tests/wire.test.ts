import { deserialize, newHeader, serialize, sign } from '../src/lab/wire';
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

  test('missing delimiter is reported as malformed', () => {
    expect(() => deserialize([Buffer.from('x')], key, 'hmac-sha256')).toThrow('malformed message');
  });

  test('empty key means unsigned messages', () => {
    expect(sign('', 'hmac-sha256', [Buffer.from('x')])).toBe('');
  });
});
