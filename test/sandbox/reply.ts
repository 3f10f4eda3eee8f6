// Plain HTTP plumbing shared by the Everflow endpoints, the fault injector and the control API.
// Handlers build a Reply value instead of writing to the socket themselves, so a fault can take a
// real reply and mangle it (cut it short, corrupt it, reset the connection half way).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knobs } from './knobs';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

/**
 * An Everflow error body, under the key the `errorKeyCasing` knob picks (`error`, `Error` or `message`).
 * The `errorText` knob, when set, replaces the message (with `{apiKey}` standing for the request's key).
 */
export function errorReply(knobs: Knobs, status: number, message: string, headers: Record<string, string> = {}, apiKey?: string): Reply {
  return jsonReply(status, { [knobs.errorKeyCasing]: errorTextOf(knobs, message, apiKey) }, headers);
}

/** The message an error reply carries: `message`, or the `errorText` knob with the key filled in. */
export function errorTextOf(knobs: Knobs, message: string, apiKey: string | undefined): string {
  return knobs.errorText === null ? message : knobs.errorText.split('{apiKey}').join(apiKey ?? '');
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
  res.end(body);
}

const MAX_BODY = 10 * 1024 * 1024;

/** Reads a request body as text; bodies over 10 MB are cut off (no real request is near that). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
