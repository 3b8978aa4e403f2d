/**
 * The Jupyter messaging protocol's wire format (version 5.3):
 *
 *   [zmq identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers...]
 *
 * signature = hex HMAC of the four JSON frames with the connection file's key
 * (signature_scheme "hmac-sha256"). Incoming messages with a wrong signature are rejected.
 */
import * as crypto from 'crypto';

export const DELIMITER = '<IDS|MSG>';
export const PROTOCOL_VERSION = '5.3';

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message<C = Record<string, unknown>> {
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export function sign(key: string, scheme: string, frames: readonly Buffer[]): string {
  if (!key) return '';
  const algorithm = scheme.replace(/^hmac-/, '');
  const hmac = crypto.createHmac(algorithm, key);
  for (const f of frames) hmac.update(f);
  return hmac.digest('hex');
}

export function newHeader(msgType: string, session: string): MessageHeader {
  return {
    msg_id: crypto.randomUUID(),
    msg_type: msgType,
    session,
    username: 'nnft',
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}

/** Frames to send for a message (no identities: DEALER sockets add none). */
export function serialize(message: Message<unknown>, key: string, scheme: string): Buffer[] {
  const frames = [message.header, message.parent_header, message.metadata, message.content].map((part) => Buffer.from(JSON.stringify(part), 'utf8'));
  return [Buffer.from(DELIMITER), Buffer.from(sign(key, scheme, frames)), ...frames, ...message.buffers];
}

/** A received message whose HMAC signature does not verify (forged, corrupted, or a wrong key). */
export class SignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureError';
  }
}

/**
 * Parse received frames; throws if the delimiter is missing or a frame is not JSON, and throws a
 * SignatureError if the signature does not verify (compared in constant time).
 */
export function deserialize(frames: readonly Buffer[], key: string, scheme: string): Message {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  if (at < 0 || frames.length < at + 6) throw new Error('jupyter wire: malformed message (no <IDS|MSG> delimiter or too few frames)');
  const parts = frames.slice(at + 2, at + 6);
  if (key) {
    // Compare bytes, not strings: a signature frame of the right length in characters but not in
    // bytes must be rejected, not make timingSafeEqual throw.
    const signature = Buffer.from(frames[at + 1]);
    const expected = Buffer.from(sign(key, scheme, parts), 'latin1');
    const ok = signature.length === expected.length && crypto.timingSafeEqual(signature, expected);
    if (!ok) throw new SignatureError('jupyter wire: message signature does not verify');
  }
  let header: MessageHeader, parent: Partial<MessageHeader>, metadata: Record<string, unknown>, content: Record<string, unknown>;
  try {
    [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString('utf8')));
  } catch (err) {
    throw new Error(`jupyter wire: malformed message (a frame is not JSON: ${(err as Error).message})`);
  }
  if (!header || typeof header !== 'object' || typeof header.msg_type !== 'string') throw new Error('jupyter wire: malformed message (header without msg_type)');
  return { header, parent_header: parent ?? {}, metadata: metadata ?? {}, content: content ?? {}, buffers: frames.slice(at + 6).map((b) => Buffer.from(b)) };
}
