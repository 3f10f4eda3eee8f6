// Failure injection. Each kind is something a real client meets sooner or later on a network: rate
// limiting with and without headers, 5xx from the API or from a proxy in front of it (as HTML), bodies
// that are not JSON or stop half way, connections that die or never answer, and bodies far too large.

import type { ServerResponse } from 'node:http';
import type { FaultKind, Knobs } from './knobs';
import { Reply, errorReply, errorTextOf, sendReply } from './reply';
import type { WireRow } from './wire';

export type PathClass = 'stream' | 'click' | 'timezones' | 'conversions' | 'other';

/** Uses up one application of the configured fault if it covers this request, and returns its kind. */
export function takeFault(knobs: Knobs, cls: PathClass): FaultKind | undefined {
  const f = knobs.fault;
  if (!f) return undefined;
  const path = f.path ?? 'any';
  if (path !== 'any' && path !== cls) return undefined;
  if (f.count > 0) {
    const left = f.count - 1;
    knobs.fault = left === 0 ? null : { ...f, count: left };
  }
  return f.kind;
}

/** Faults that need the real reply first, to corrupt or cut it. */
export const MANGLING_FAULTS: ReadonlySet<FaultKind> = new Set<FaultKind>(['malformed-json', 'truncated-json', 'reset-mid-body']);

const HTML_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export interface FaultContext {
  knobs: Knobs;
  /** X-RateLimit-* headers for this request, or {} when the knob turns them off. */
  rateHeaders: Record<string, string>;
  /** Builds the k-th filler row of a 'huge' body. */
  hugeRow: (k: number) => WireRow;
  /** Responses left hanging, so close() can end them. */
  hung: Set<ServerResponse>;
  /** The request's X-Eflow-API-Key, for the `errorText` knob's `{apiKey}`. */
  apiKey?: string;
}

/**
 * Answers (or deliberately fails to answer) with a fault that replaces the real reply. Returns the
 * status sent, or 0 when no HTTP response was sent at all.
 */
export async function sendFault(res: ServerResponse, kind: FaultKind, ctx: FaultContext): Promise<number> {
  const { knobs } = ctx;
  switch (kind) {
    case '429':
      sendReply(res, errorReply(knobs, 429, 'Too many requests', { ...ctx.rateHeaders, ...(knobs.rateLimit.headers ? { 'X-RateLimit-Remaining': '0' } : {}) }, ctx.apiKey));
      return 429;
    case '429-no-headers':
      sendReply(res, errorReply(knobs, 429, 'Too many requests', {}, ctx.apiKey));
      return 429;
    case '500':
    case '502':
    case '503': {
      const status = Number(kind);
      const text = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' }[status]!;
      sendReply(res, errorReply(knobs, status, text, ctx.rateHeaders, ctx.apiKey));
      return status;
    }
    case 'html-error':
      // What a load balancer in front of the API sends: HTML, not JSON, and no rate-limit headers.
      // The errorText knob goes in raw, as a proxy that pastes upstream text into its page would.
      sendReply(res, {
        status: 502,
        headers: { 'Content-Type': 'text/html' },
        body: knobs.errorText === null ? HTML_502 : HTML_502.replace('<hr>', `<p>${errorTextOf(knobs, '', ctx.apiKey)}</p>\r\n<hr>`),
      });
      return 502;
    case 'drop-connection':
      res.socket?.destroy();
      return 0;
    case 'hang':
      ctx.hung.add(res);
      res.on('close', () => ctx.hung.delete(res));
      return 0;
    case 'huge':
      await sendHuge(res, ctx);
      return 200;
    default:
      throw new Error(`fault ${kind} needs the real reply`);
  }
}

/** Sends a real reply corrupted by one of the MANGLING_FAULTS. Returns the status sent (0 if none). */
export function sendMangled(res: ServerResponse, reply: Reply, kind: FaultKind): number {
  const body = Buffer.from(reply.body, 'utf8');
  const headers = { ...reply.headers, 'Content-Type': 'application/json; charset=utf-8' };
  if (kind === 'malformed-json') {
    // A trailing comma before the closing bracket: looks like JSON, is not JSON.
    sendReply(res, { status: reply.status, headers, body: reply.body.slice(0, -1) + ',' + reply.body.slice(-1) });
    return reply.status;
  }
  const cut = Math.max(1, Math.floor(body.length * 0.6));
  if (kind === 'truncated-json') {
    // A complete HTTP message whose JSON stops part way (Content-Length matches what is sent).
    res.writeHead(reply.status, { ...headers, 'Content-Length': String(cut) });
    res.end(body.subarray(0, cut));
    return reply.status;
  }
  // reset-mid-body: promise the whole body, send part of it, then kill the connection.
  res.writeHead(reply.status, { ...headers, 'Content-Length': String(body.length) });
  res.write(body.subarray(0, cut), () => res.socket?.destroy());
  return 0;
}

const HUGE_BYTES = 50 * 1024 * 1024;

/** About 50 MB of valid-looking rows, streamed with backpressure so the sandbox itself stays small. */
async function sendHuge(res: ServerResponse, ctx: FaultContext): Promise<void> {
  const key = ctx.knobs.responseKey;
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...ctx.rateHeaders });
  let sent = 0;
  const write = async (s: string): Promise<boolean> => {
    if (res.destroyed) return false;
    sent += Buffer.byteLength(s);
    if (!res.write(s)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
    return !res.destroyed;
  };
  if (!(await write(key === 'bare' ? '[' : `{"${key}":[`))) return;
  let chunk = '';
  for (let k = 0; sent + chunk.length < HUGE_BYTES; k++) {
    chunk += (k === 0 ? '' : ',') + JSON.stringify(ctx.hugeRow(k));
    if (chunk.length > 1024 * 1024) {
      if (!(await write(chunk))) return;
      chunk = '';
    }
  }
  if (!(await write(chunk + (key === 'bare' ? ']' : ']}')))) return;
  res.end();
}
