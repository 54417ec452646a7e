/**
 * The record of every write the action sent to AWS, for the job summary: an SDK
 * middleware on each client appends one entry per mutating command (after the
 * SDK's own retries), naming the service, the action and the resource it
 * targets. Never the request body, never credentials: only the identifier the
 * input names (a group name, a listener or rule ARN, a launch template id).
 */

/** One mutating command as sent, and whether AWS accepted it. */
export interface SentWrite {
  service: 'autoscaling' | 'elbv2' | 'ec2' | 'cloudwatch';
  /** Operation name without `Command`, e.g. `ModifyListener`. */
  action: string;
  /** Resource(s) named by the input: group names, ARNs or ids, comma-separated. */
  target: string;
  /** Epoch ms the command was sent (first attempt). */
  at: number;
  ok: boolean;
  /** The error's name (`ValidationError`) when AWS refused it; never its message. */
  error?: string;
}

export type WriteSink = (write: SentWrite) => void;

/** Only the clients' middleware stacks are touched. */
interface HasMiddleware {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: unknown }) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: { input: unknown }) => Promise<unknown>,
      options: { step: 'initialize'; name: string; priority: 'high' },
    ): void;
  };
}

const READ_ONLY = /^(Describe|Get|List)/;

/**
 * Adds the recording middleware to one client. It sits in the `initialize`
 * step, outside the retry loop: a command retried three times is one write.
 */
export function recordWrites<C>(
  client: C,
  service: SentWrite['service'],
  sink: WriteSink,
  now: () => number,
): C {
  (client as unknown as HasMiddleware).middlewareStack.add(
    (next, context) => async (args) => {
      const action = (context.commandName ?? 'UnknownCommand').replace(/Command$/, '');
      if (READ_ONLY.test(action)) return next(args);
      const entry = { service, action, target: targetOf(args.input), at: now() };
      try {
        const result = await next(args);
        sink({ ...entry, ok: true });
        return result;
      } catch (error) {
        sink({ ...entry, ok: false, error: errorName(error) });
        throw error;
      }
    },
    { step: 'initialize', name: 'asgDeployRecordWrites', priority: 'high' },
  );
  return client;
}

/** The four SDK clients, as `AwsClients` (clients.ts) has them; named here so the two files do not import each other. */
type ClientSet = Record<'autoScaling' | 'elbv2' | 'ec2' | 'cloudWatch', unknown>;

/** Applies `recordWrites` to the four clients (the real ones and the simulator's alike). */
export function recordAllWrites<T extends ClientSet>(clients: T, sink: WriteSink, now: () => number): T {
  recordWrites(clients.autoScaling, 'autoscaling', sink, now);
  recordWrites(clients.elbv2, 'elbv2', sink, now);
  recordWrites(clients.ec2, 'ec2', sink, now);
  recordWrites(clients.cloudWatch, 'cloudwatch', sink, now);
  return clients;
}

/** Input fields that name the resource a write acts on, most specific first. */
const TARGET_FIELDS = [
  'RuleArn',
  'ListenerArn',
  'AutoScalingGroupName',
  'TargetGroupArn',
  'LaunchTemplateId',
  'LaunchTemplateName',
  'AlarmName',
] as const;

/** The resource named by a command's input; the tagged resources for tag commands. */
export function targetOf(input: unknown): string {
  if (typeof input !== 'object' || input === null) return '-';
  const fields = input as Record<string, unknown>;
  for (const field of TARGET_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  const tags = fields.Tags;
  if (Array.isArray(tags)) {
    const ids = tags
      .map((t) => (t as { ResourceId?: unknown }).ResourceId)
      .filter((id): id is string => typeof id === 'string');
    if (ids.length > 0) return [...new Set(ids)].join(', ');
  }
  const names = fields.AlarmNames;
  if (Array.isArray(names) && names.every((n) => typeof n === 'string')) return names.join(', ');
  return '-';
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : 'Error';
}
