import { defuseLinks } from './plainText';
import type { ErrorReason, ValidationProblem } from './types';

// One error type for every failure at the API boundary, so callers handle one shape. It is built from copied
// primitives only: an axios error holds the request config, and with it the X-Eflow-API-Key header,
// so neither it nor anything derived from it is ever attached (no `cause`, no `config`, no headers).

export interface EverflowErrorInit {
  status?: number;
  serverMessage?: string;
  problems?: ValidationProblem[];
  /** Overrides the default for the reason (see `TRANSIENT`). */
  retryable?: boolean;
  /** What was being read, where a status needs its own sentence (a 403 on the conversion report). */
  topic?: ErrorTopic;
}

/** The API family a failure came from, when it is not the click stream or look-up. */
export type ErrorTopic = 'conversions';

/**
 * Reasons where the same request may succeed later. The client retries these itself, except
 * `timeout` (see client.ts), so `retryable` on an error that reached a caller means "worth a Retry
 * button", not "retry in a loop".
 */
const TRANSIENT: ReadonlySet<ErrorReason> = new Set<ErrorReason>(['rateLimited', 'server', 'network', 'timeout']);

export class EverflowError extends Error {
  readonly reason: ErrorReason;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly problems?: ValidationProblem[];
  readonly retryable: boolean;
  readonly topic?: ErrorTopic;

  constructor(reason: ErrorReason, message: string, init: EverflowErrorInit = {}) {
    super(message);
    this.name = 'EverflowError';
    this.reason = reason;
    if (init.status !== undefined) this.status = init.status;
    if (init.serverMessage !== undefined) this.serverMessage = init.serverMessage;
    if (init.problems !== undefined) this.problems = init.problems.map((p) => ({ field: p.field, message: p.message }));
    this.retryable = init.retryable ?? TRANSIENT.has(reason);
    if (init.topic !== undefined) this.topic = init.topic;
  }
}

/** The same failure marked as coming from `topic` (a cancellation stays as it is: nothing to explain). */
export function withTopic(e: unknown, topic: ErrorTopic): unknown {
  if (!(e instanceof EverflowError) || e.reason === 'cancelled' || e.topic !== undefined) return e;
  return new EverflowError(e.reason, e.message, { status: e.status, serverMessage: e.serverMessage, problems: e.problems, retryable: e.retryable, topic });
}

/**
 * An error whose message is already written for the user (a refused save, an unknown account name):
 * shown as it is, without the "Unexpected error" that marks a bug.
 */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export function isEverflowError(e: unknown): e is EverflowError {
  return e instanceof EverflowError;
}

/** A `cancelled` error; shared so the limiter, backoff waits and requests all say the same thing. */
export function cancelledError(): EverflowError {
  return new EverflowError('cancelled', 'The request was cancelled.');
}

function stripFinalStop(s: string): string {
  return s.replace(/[.\s]+$/, '');
}

/** "Prefix (401): server message. Suffix" — the status and server text only where there are some. */
function withServer(prefix: string, err: EverflowError, suffix: string): string {
  const code = err.status !== undefined ? ` (${err.status})` : '';
  const said = err.serverMessage && !restatesStatus(err.serverMessage, err.status, prefix) ? `: ${stripFinalStop(err.serverMessage)}` : '';
  return `${prefix}${code}${said}.${suffix ? ` ${suffix}` : ''}`;
}

/** HTTP's reason phrases for the statuses Everflow and the proxies in front of it answer with. */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Whether a server's message only restates what the sentence already says: the status's reason phrase
 * ("Too Many Requests", "429 Too Many Requests") or words of the sentence itself. Quoting it would say
 * the same thing twice.
 */
function restatesStatus(message: string, status: number | undefined, sentence: string): boolean {
  const words = (t: string): string => t.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  const m = words(message).replace(/^\d{3} /, '');
  if (m === '' || words(sentence).includes(m)) return true;
  const phrase = status !== undefined ? REASON_PHRASES[status] : undefined;
  return phrase !== undefined && m === words(phrase);
}

/**
 * A short sentence for the user, naming the action that fixes the problem where there is one. It
 * quotes the server, so link syntax in it is defused: notifications would make it a live link.
 */
export function describeError(err: unknown): string {
  return defuseLinks(describe(err));
}

function describe(err: unknown): string {
  if (!isEverflowError(err)) {
    if (err instanceof UserFacingError) return err.message;
    if (err instanceof Error) return `Unexpected error: ${err.message}`;
    return `Unexpected error: ${String(err)}`;
  }
  switch (err.reason) {
    case 'invalidRequest': {
      const problems = err.problems ?? [];
      if (problems.length === 0) return err.message;
      if (problems.length === 1) return `The request was not sent: ${problems[0].message}`;
      return `The request was not sent (${problems.length} problems): ${problems.map((p) => p.message).join(' ')}`;
    }
    case 'badRequest':
      if (err.topic === 'conversions') {
        return withServer('Everflow rejected the conversion report request', err, 'Conversions can be read for the prior 365 days only, at most one year per request; check the window and filters.');
      }
      return withServer('Everflow rejected the request', err, 'Check the time window, timezone and filters.');
    case 'unauthorized':
      // Without a status nothing was sent (no key set), and the message already says so.
      if (err.status === undefined) return err.message;
      return withServer('Everflow rejected the API key', err, 'Set a new key with "Everflow: Set API Key".');
    case 'forbidden':
      if (err.topic === 'conversions') {
        return withServer('Everflow refused the conversion report', err, 'This partner account may not read its conversion report; the network controls that. The clicks are unaffected.');
      }
      return withServer(
        'Everflow refused this request for the API key',
        err,
        'The key may be of the wrong kind (an affiliate key is needed) or lack this permission; set another key with "Everflow: Set API Key".',
      );
    case 'notFound':
      if (err.topic === 'conversions') return withServer('Everflow found no such conversion', err, '');
      // The caller knows what was looked up and adds that context.
      return withServer('Everflow found nothing there', err, '');
    case 'rateLimited':
      return withServer(
        'Everflow kept answering "too many requests"',
        err,
        'Everflow refills the account\'s bucket every 30 seconds, and every tool on the account shares it; try again in half a minute.',
      );
    case 'server':
      return withServer('Everflow had a server error', err, 'This is usually temporary; try again in a minute.');
    case 'network':
      return `Could not reach Everflow: ${stripFinalStop(err.message)}. Check your connection, proxy and the everflow.baseUrl setting.`;
    case 'timeout':
      return `${stripFinalStop(err.message)}. Try a shorter time window, or raise everflow.requestTimeoutSeconds.`;
    case 'cancelled':
      return 'The request was cancelled.';
    case 'invalidResponse': {
      const code = err.status !== undefined ? ` (HTTP ${err.status})` : '';
      const server = err.serverMessage ? ` ("${stripFinalStop(err.serverMessage)}")` : '';
      return `Everflow sent a response the extension could not read${code}: ${stripFinalStop(err.message)}${server}. If this persists, check the everflow.baseUrl setting and the log.`;
    }
  }
}
