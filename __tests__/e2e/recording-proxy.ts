/**
 * A recording reverse proxy in front of moto: the action is pointed at it
 * (AWS_ENDPOINT_URL) and every request is forwarded unchanged to moto, after
 * noting which AWS API action it was. Tests then assert which writes were sent
 * (or that none were: a bad input must fail before any AWS call).
 *
 * Protocols recognised: Query / EC2 Query (`Action=` in the form body or the
 * URL), JSON (`X-Amz-Target: Prefix.Action`, e.g. CloudWatch) and Smithy RPC v2
 * CBOR (`/service/X/operation/Action`). The service and region come from the
 * SigV4 credential scope of the Authorization header.
 *
 * `hold(rule)` delays matching requests in transit, before moto sees them (what
 * a slow network or a few throttled retries of the SDK do to a write): by
 * `delayMs`, after `until` has resolved when given, `times` requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** SigV4 service name: `ec2`, `autoscaling`, `elasticloadbalancing`, `monitoring`, … */
  service: string;
  /** SigV4 signing region (moto keeps regions apart by it). */
  region: string;
  /** API action, e.g. `DescribeListeners`; `?` when it could not be told. */
  action: string;
  /** Anything that is not Describe*, Get*, List*: it may change AWS state. */
  write: boolean;
  protocol: 'query' | 'json' | 'rpcv2' | 'unknown';
  method: string;
  path: string;
  /** HTTP status moto answered (502 when moto could not be reached). */
  status: number;
  /** The whole request body, for assertions on parameters. */
  body: string;
  /** When the proxy had the whole request (ms since the epoch, sub-millisecond). */
  receivedAt: number;
  /** When moto's whole answer had passed through (ms since the epoch); 0 until then. */
  answeredAt: number;
  /** When the proxy sent it on to moto (after a hold); 0 until then. */
  forwardedAt: number;
}

/** Requests held in transit before they reach moto (see `RecordingProxy.hold`). */
export interface HoldRule {
  /** Which requests: e.g. by action and body. */
  match: (call: RecordedCall) => boolean;
  /** Milliseconds in transit (after `until`). Default 0. */
  delayMs?: number;
  /** Held at least until this settles (e.g. until another run's request arrived). */
  until?: Promise<unknown>;
  /** How many requests it holds. Default 1. */
  times?: number;
  /** Called when a matching request arrives (before it is held). */
  onArrival?: (call: RecordedCall) => void;
}

export interface RecordingProxy {
  /** `http://127.0.0.1:PORT`: give this to the action as AWS_ENDPOINT_URL. */
  endpoint: string;
  /** Every call so far, in the order moto answered them. */
  readonly calls: readonly RecordedCall[];
  /** The calls that may change state. */
  writes(): RecordedCall[];
  /** `service:Action` of each call, e.g. `elasticloadbalancing:ModifyListener`. */
  actions(filter?: (call: RecordedCall) => boolean): string[];
  /** Holds the next matching request(s) in transit; rules are tried in the order given. */
  hold(rule: HoldRule): void;
  /** Forgets the calls and the hold rules. */
  clear(): void;
  stop(): Promise<void>;
}

const READ_PREFIXES = ['Describe', 'Get', 'List'];

/** True for an API action that can change state (everything but Describe*, Get*, List*). */
export function isWriteAction(action: string): boolean {
  return !READ_PREFIXES.some((prefix) => action.startsWith(prefix));
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  if (upstream.hostname !== '127.0.0.1' && upstream.hostname !== 'localhost') {
    throw new Error(`the recording proxy only forwards to 127.0.0.1, not ${upstream.host}`);
  }
  const calls: RecordedCall[] = [];
  const holds: (HoldRule & { left: number })[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = describeCall(req, body);
      const rule = holds.find((r) => r.left > 0 && r.match(call));
      if (rule) {
        rule.left--;
        rule.onArrival?.(call);
      }
      const held = async () => {
        if (rule?.until) await rule.until.catch(() => undefined);
        if (rule?.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
      };
      void held().then(() => {
        call.forwardedAt = now();
        const forward = http.request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
            agent: false,
          },
          (answer) => {
            call.status = answer.statusCode ?? 0;
            calls.push(call);
            answer.once('end', () => (call.answeredAt = now()));
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', (error) => {
          call.status = 502;
          call.answeredAt = now();
          calls.push(call);
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`recording proxy: ${error.message}`);
        });
        forward.end(body);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    writes: () => calls.filter((call) => call.write),
    actions: (filter = () => true) => calls.filter(filter).map((call) => `${call.service}:${call.action}`),
    hold: (rule) => void holds.push({ ...rule, left: rule.times ?? 1 }),
    clear: () => {
      calls.splice(0);
      holds.splice(0);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function describeCall(req: http.IncomingMessage, body: Buffer): RecordedCall {
  const path = req.url ?? '/';
  const text = body.toString('utf8');
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(String(req.headers.authorization));
  const region = scope?.[1] ?? '?';
  const service = scope?.[2] ?? '?';
  let protocol: RecordedCall['protocol'] = 'unknown';
  let action: string | undefined;

  const target = req.headers['x-amz-target'];
  const rpcv2 = /\/operation\/([A-Za-z0-9]+)/.exec(path);
  if (typeof target === 'string' && target.includes('.')) {
    protocol = 'json';
    action = target.slice(target.lastIndexOf('.') + 1);
  } else if (rpcv2) {
    protocol = 'rpcv2';
    action = rpcv2[1];
  } else {
    const query = new URL(path, 'http://proxy').searchParams.get('Action');
    const form = String(req.headers['content-type']).includes('x-www-form-urlencoded')
      ? new URLSearchParams(text).get('Action')
      : null;
    if (form ?? query) {
      protocol = 'query';
      action = (form ?? query) as string;
    }
  }
  action ??= '?';
  return {
    service,
    region,
    action,
    write: isWriteAction(action),
    protocol,
    method: req.method ?? '?',
    path,
    status: 0,
    body: text,
    receivedAt: now(),
    answeredAt: 0,
    forwardedAt: 0,
  };
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
