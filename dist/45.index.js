export const id = 45;
export const ids = [45];
export const modules = {

/***/ 2045:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployFromRunner: () => (/* binding */ deployFromRunner)
});

// UNUSED EXPORTS: runIdentity, workflowReason

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-auto-scaling/dist-cjs/index.js
var dist_cjs = __webpack_require__(8932);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch/dist-cjs/index.js
var client_cloudwatch_dist_cjs = __webpack_require__(4085);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var client_ec2_dist_cjs = __webpack_require__(5193);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-elastic-load-balancing-v2/dist-cjs/index.js
var client_elastic_load_balancing_v2_dist_cjs = __webpack_require__(586);
;// CONCATENATED MODULE: ./src/aws/write-log.ts
const READ_ONLY = /^(Describe|Get|List)/;
/**
 * Adds the recording middleware to one client. It sits in the `initialize`
 * step, outside the retry loop: a command retried three times is one write.
 */
function recordWrites(client, service, sink, now) {
    client.middlewareStack.add((next, context) => async (args) => {
        const action = (context.commandName ?? 'UnknownCommand').replace(/Command$/, '');
        if (READ_ONLY.test(action))
            return next(args);
        const entry = { service, action, target: targetOf(args.input), at: now() };
        try {
            const result = await next(args);
            sink({ ...entry, ok: true });
            return result;
        }
        catch (error) {
            sink({ ...entry, ok: false, error: errorName(error) });
            throw error;
        }
    }, { step: 'initialize', name: 'asgDeployRecordWrites', priority: 'high' });
    return client;
}
/** Applies `recordWrites` to the four clients (the real ones and the simulator's alike). */
function recordAllWrites(clients, sink, now) {
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
];
/** The resource named by a command's input; the tagged resources for tag commands. */
function targetOf(input) {
    if (typeof input !== 'object' || input === null)
        return '-';
    const fields = input;
    for (const field of TARGET_FIELDS) {
        const value = fields[field];
        if (typeof value === 'string' && value !== '')
            return value;
    }
    const tags = fields.Tags;
    if (Array.isArray(tags)) {
        const ids = tags
            .map((t) => t.ResourceId)
            .filter((id) => typeof id === 'string');
        if (ids.length > 0)
            return [...new Set(ids)].join(', ');
    }
    const names = fields.AlarmNames;
    if (Array.isArray(names) && names.every((n) => typeof n === 'string'))
        return names.join(', ');
    return '-';
}
function errorName(error) {
    const name = error?.name;
    return typeof name === 'string' && name !== '' ? name : 'Error';
}

;// CONCATENATED MODULE: ./src/aws/clients.ts





/**
 * The SDK's standard retry mode with ten attempts (jittered exponential backoff,
 * a longer base for throttling, capped at 20 s) rides out the sustained
 * throttling a deploy polling several groups can meet. Endpoints come from the
 * SDK itself (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>).
 */
function createClients(options) {
    const common = {
        region: options.region,
        retryMode: 'standard',
        maxAttempts: options.maxAttempts ?? 10,
        ...(options.userAgentSuffix ? { customUserAgent: options.userAgentSuffix } : {}),
    };
    const clients = {
        autoScaling: new dist_cjs/* AutoScalingClient */.yis(common),
        elbv2: new client_elastic_load_balancing_v2_dist_cjs/* ElasticLoadBalancingV2Client */.MlD(common),
        ec2: new client_ec2_dist_cjs/* EC2Client */.gu5(common),
        cloudWatch: new client_cloudwatch_dist_cjs/* CloudWatchClient */.WBn(common),
    };
    return options.onWrite ? recordAllWrites(clients, options.onWrite, () => Date.now()) : clients;
}

;// CONCATENATED MODULE: ./src/aws/auto-scaling.ts

const ACTIVE_REFRESH = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);
/** AWS refused a StartInstanceRefresh because one is already running on the group. */
function isRefreshInProgressError(error) {
    return error instanceof dist_cjs/* InstanceRefreshInProgressFault */.VDy;
}
/** A refresh in one of these statuses blocks another one on the group. */
function isActiveRefresh(status) {
    return ACTIVE_REFRESH.has(status);
}
/** Thin gateway over the Auto Scaling API: shapes in, snapshots out. */
class AutoScalingGateway {
    client;
    constructor(client) {
        this.client = client;
    }
    /** Every named group that exists, by name (one call for up to 100 names). */
    async describeGroups(names) {
        const found = new Map();
        let token;
        do {
            const out = await this.client.send(new dist_cjs/* DescribeAutoScalingGroupsCommand */.NkQ({ AutoScalingGroupNames: names, NextToken: token }));
            for (const group of out.AutoScalingGroups ?? [])
                found.set(group.AutoScalingGroupName ?? '', toSnapshot(group));
            token = out.NextToken;
        } while (token);
        return found;
    }
    async describeGroup(name) {
        return (await this.describeGroups([name])).get(name);
    }
    async updateGroup(name, update) {
        await this.client.send(new dist_cjs/* UpdateAutoScalingGroupCommand */.Idg({
            AutoScalingGroupName: name,
            MinSize: update.min,
            MaxSize: update.max,
            DesiredCapacity: update.desired,
            LaunchTemplate: update.launchTemplate
                ? { LaunchTemplateId: update.launchTemplate.id, Version: update.launchTemplate.version }
                : undefined,
        }));
    }
    /** The refresh that is still running on the group, if any. */
    async activeInstanceRefresh(name) {
        return (await this.instanceRefreshes(name)).find((r) => isActiveRefresh(r.status));
    }
    /**
     * Starts an Instance Refresh towards `desired` without changing the group
     * first: on success AWS makes it the group's launch template, on rollback the
     * group is exactly as it was. The client cannot make this idempotent: a
     * retried start after a lost response is refused as InstanceRefreshInProgress.
     */
    async startInstanceRefresh(p) {
        const out = await this.client.send(new dist_cjs/* StartInstanceRefreshCommand */.Wkp({
            AutoScalingGroupName: p.group,
            Strategy: 'Rolling',
            DesiredConfiguration: {
                LaunchTemplate: { LaunchTemplateId: p.desired.id, Version: p.desired.version },
            },
            Preferences: p.preferences,
        }));
        if (!out.InstanceRefreshId)
            throw new Error('StartInstanceRefresh returned no InstanceRefreshId');
        return out.InstanceRefreshId;
    }
    /** The group's refreshes, newest first (AWS keeps them for a while); one when `id` is given. */
    async instanceRefreshes(group, id) {
        const out = await this.client.send(new dist_cjs/* DescribeInstanceRefreshesCommand */.XcR({
            AutoScalingGroupName: group,
            ...(id === undefined ? { MaxRecords: 10 } : { InstanceRefreshIds: [id] }),
        }));
        return (out.InstanceRefreshes ?? []).map(toRefreshSummary);
    }
    /** Rolls back the group's active refresh: AWS replaces what it changed with the previous configuration. */
    async rollbackInstanceRefresh(group) {
        const out = await this.client.send(new dist_cjs/* RollbackInstanceRefreshCommand */.c8H({ AutoScalingGroupName: group }));
        return out.InstanceRefreshId;
    }
    async cancelInstanceRefresh(group) {
        const out = await this.client.send(new dist_cjs/* CancelInstanceRefreshCommand */.SMi({ AutoScalingGroupName: group }));
        return out.InstanceRefreshId;
    }
    /** Tags of each named group whose key starts with `prefix`, by group (groups without one are absent). */
    async readTags(groups, prefix) {
        const found = new Map();
        if (groups.length === 0)
            return found;
        let token;
        do {
            const out = await this.client.send(new dist_cjs/* DescribeTagsCommand */.yRM({
                Filters: [{ Name: 'auto-scaling-group', Values: groups }],
                NextToken: token,
            }));
            for (const tag of out.Tags ?? []) {
                if (!tag.ResourceId || !tag.Key?.startsWith(prefix))
                    continue;
                const tags = found.get(tag.ResourceId) ?? {};
                tags[tag.Key] = tag.Value ?? '';
                found.set(tag.ResourceId, tags);
            }
            token = out.NextToken;
        } while (token);
        return found;
    }
    /** Sets the same tags on every named group, in one call; not propagated to instances. */
    async putTags(groups, tags) {
        if (groups.length === 0)
            return;
        await this.client.send(new dist_cjs/* CreateOrUpdateTagsCommand */.vLq({
            Tags: groups.flatMap((group) => Object.entries(tags).map(([Key, Value]) => ({
                ResourceId: group,
                ResourceType: 'auto-scaling-group',
                Key,
                Value,
                PropagateAtLaunch: false,
            }))),
        }));
    }
    /** Removes the named tag keys from every named group, in one call. */
    async deleteTags(groups, keys) {
        if (groups.length === 0)
            return;
        await this.client.send(new dist_cjs/* DeleteTagsCommand */.MVD({
            Tags: groups.flatMap((group) => keys.map((Key) => ({ ResourceId: group, ResourceType: 'auto-scaling-group', Key }))),
        }));
    }
}
function toRefreshSummary(r) {
    return {
        id: r.InstanceRefreshId ?? '',
        status: r.Status ?? '',
        percentageComplete: r.PercentageComplete,
        statusReason: r.StatusReason || undefined,
        instancesToUpdate: r.InstancesToUpdate,
        startedAt: r.StartTime?.getTime(),
        endedAt: r.EndTime?.getTime(),
        rollbackReason: r.RollbackDetails?.RollbackReason,
        percentageCompleteOnRollback: r.RollbackDetails?.PercentageCompleteOnRollback,
    };
}
function toSnapshot(group) {
    const lt = group.LaunchTemplate;
    const launchSource = lt?.LaunchTemplateId
        ? 'launch-template'
        : group.MixedInstancesPolicy
            ? 'mixed-instances-policy'
            : group.LaunchConfigurationName
                ? 'launch-configuration'
                : 'none';
    const tags = {};
    for (const tag of group.Tags ?? [])
        if (tag.Key)
            tags[tag.Key] = tag.Value ?? '';
    return {
        name: group.AutoScalingGroupName ?? '',
        min: group.MinSize ?? 0,
        max: group.MaxSize ?? 0,
        desired: group.DesiredCapacity ?? 0,
        launchTemplate: lt?.LaunchTemplateId
            ? { id: lt.LaunchTemplateId, name: lt.LaunchTemplateName, version: lt.Version ?? '$Default' }
            : undefined,
        launchSource,
        targetGroupArns: group.TargetGroupARNs ?? [],
        healthCheckType: group.HealthCheckType ?? 'EC2',
        instances: (group.Instances ?? []).map((i) => ({
            id: i.InstanceId ?? '',
            lifecycle: i.LifecycleState ?? '',
            health: i.HealthStatus ?? '',
            launchTemplateVersion: i.LaunchTemplate?.Version,
        })),
        tags,
    };
}

;// CONCATENATED MODULE: ./src/aws/cloudwatch.ts

/** DescribeAlarms takes at most 100 names per call. */
const ALARMS_PER_CALL = 100;
/** Thin gateway over the CloudWatch API: alarm states for the gates. */
class CloudWatchGateway {
    client;
    constructor(client) {
        this.client = client;
    }
    /**
     * The named alarms (metric and composite) that exist, by name: one call per
     * 100 names. A name missing from the map does not exist.
     */
    async describeAlarms(names) {
        const found = new Map();
        for (let i = 0; i < names.length; i += ALARMS_PER_CALL) {
            const batch = names.slice(i, i + ALARMS_PER_CALL);
            let token;
            do {
                const out = await this.client.send(new client_cloudwatch_dist_cjs/* DescribeAlarmsCommand */.zWD({
                    AlarmNames: batch,
                    AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
                    NextToken: token,
                }));
                for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
                    const name = alarm.AlarmName ?? '';
                    found.set(name, {
                        name,
                        state: (alarm.StateValue ?? 'INSUFFICIENT_DATA'),
                        ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
                    });
                }
                token = out.NextToken;
            } while (token);
        }
        return found;
    }
}

;// CONCATENATED MODULE: ./src/aws/ec2.ts

/** Thin gateway over the EC2 launch template API. */
class Ec2Gateway {
    client;
    constructor(client) {
        this.client = client;
    }
    /** One version (`3`, `$Default`, `$Latest`), or undefined when it does not exist. */
    async launchTemplateVersion(launchTemplateId, version) {
        try {
            const out = await this.client.send(new client_ec2_dist_cjs/* DescribeLaunchTemplateVersionsCommand */.Ptd({
                LaunchTemplateId: launchTemplateId,
                Versions: [version],
            }));
            const v = out.LaunchTemplateVersions?.[0];
            return v ? toInfo(v) : undefined;
        }
        catch (error) {
            if (isNotFound(error))
                return undefined;
            throw error;
        }
    }
    /** Versions numbered above `after`, newest first (to find the ones a run created). */
    async versionsAfter(launchTemplateId, after) {
        const out = await this.client.send(new client_ec2_dist_cjs/* DescribeLaunchTemplateVersionsCommand */.Ptd({
            LaunchTemplateId: launchTemplateId,
            MinVersion: String(after + 1),
        }));
        return (out.LaunchTemplateVersions ?? []).map(toInfo).sort((a, b) => b.version - a.version);
    }
    /**
     * A new version copied from `sourceVersion` with only the image replaced. The
     * client token makes a retried call (response lost) return the same version.
     */
    async createVersionWithImage(p) {
        const out = await this.client.send(new client_ec2_dist_cjs/* CreateLaunchTemplateVersionCommand */.B_$({
            LaunchTemplateId: p.launchTemplateId,
            SourceVersion: String(p.sourceVersion),
            LaunchTemplateData: { ImageId: p.imageId },
            VersionDescription: p.description,
            ClientToken: p.clientToken,
        }));
        const version = out.LaunchTemplateVersion?.VersionNumber;
        if (version === undefined)
            throw new Error('CreateLaunchTemplateVersion returned no version number');
        return version;
    }
    async deleteVersion(launchTemplateId, version) {
        const out = await this.client.send(new client_ec2_dist_cjs/* DeleteLaunchTemplateVersionsCommand */.p7t({
            LaunchTemplateId: launchTemplateId,
            Versions: [String(version)],
        }));
        const failed = out.UnsuccessfullyDeletedLaunchTemplateVersions?.[0];
        if (failed && failed.ResponseError?.Code !== 'launchTemplateVersionDoesNotExist') {
            throw new Error(`Could not delete launch template ${launchTemplateId} version ${version}: ${failed.ResponseError?.Message ?? failed.ResponseError?.Code}`);
        }
    }
}
function toInfo(v) {
    return {
        launchTemplateId: v.LaunchTemplateId ?? '',
        launchTemplateName: v.LaunchTemplateName,
        version: v.VersionNumber ?? 0,
        isDefault: v.DefaultVersion ?? false,
        imageId: v.LaunchTemplateData?.ImageId,
        description: v.VersionDescription,
    };
}
function isNotFound(error) {
    const name = error.name ?? '';
    return (name.startsWith('InvalidLaunchTemplateId.') || name === 'InvalidLaunchTemplateName.NotFoundException');
}

;// CONCATENATED MODULE: ./src/aws/elbv2.ts

/** Thin gateway over the ELBv2 API. */
class Elbv2Gateway {
    client;
    constructor(client) {
        this.client = client;
    }
    /** Listeners and rules in the order asked (one call each kind). Missing ARNs throw the AWS error. */
    async describeRoutes(listenerArns, ruleArns) {
        const routes = [];
        if (listenerArns.length > 0) {
            const out = await this.client.send(new client_elastic_load_balancing_v2_dist_cjs/* DescribeListenersCommand */.AKE({ ListenerArns: listenerArns }));
            const byArn = new Map((out.Listeners ?? []).map((l) => [l.ListenerArn ?? '', l]));
            for (const arn of listenerArns) {
                const l = byArn.get(arn);
                if (!l)
                    throw new Error(`Listener ${arn} was not returned by DescribeListeners`);
                routes.push({
                    kind: 'listener',
                    arn,
                    loadBalancerArn: l.LoadBalancerArn,
                    protocol: l.Protocol,
                    port: l.Port,
                    actions: l.DefaultActions ?? [],
                });
            }
        }
        if (ruleArns.length > 0) {
            const out = await this.client.send(new client_elastic_load_balancing_v2_dist_cjs/* DescribeRulesCommand */.Ggo({ RuleArns: ruleArns }));
            const byArn = new Map((out.Rules ?? []).map((r) => [r.RuleArn ?? '', r]));
            for (const arn of ruleArns) {
                const r = byArn.get(arn);
                if (!r)
                    throw new Error(`Listener rule ${arn} was not returned by DescribeRules`);
                routes.push({ kind: 'rule', arn, actions: r.Actions ?? [] });
            }
        }
        return routes;
    }
    /** Replaces a listener's default actions or a rule's actions. */
    async writeRoute(route, actions) {
        const writable = actions.map(writableAction);
        if (route.kind === 'listener') {
            await this.client.send(new client_elastic_load_balancing_v2_dist_cjs/* ModifyListenerCommand */.ugc({ ListenerArn: route.arn, DefaultActions: writable }));
        }
        else {
            await this.client.send(new client_elastic_load_balancing_v2_dist_cjs/* ModifyRuleCommand */.y5P({ RuleArn: route.arn, Actions: writable }));
        }
    }
    /** Every non-default rule of a listener: priority and conditions (to find a free priority, or rules a run made). */
    async listenerRules(listenerArn) {
        const rules = [];
        let marker;
        do {
            const out = await this.client.send(new client_elastic_load_balancing_v2_dist_cjs/* DescribeRulesCommand */.Ggo({ ListenerArn: listenerArn, Marker: marker }));
            for (const r of out.Rules ?? []) {
                if (r.IsDefault || !r.RuleArn)
                    continue;
                rules.push({
                    arn: r.RuleArn,
                    priority: Number(r.Priority),
                    conditions: r.Conditions ?? [],
                    actions: r.Actions ?? [],
                });
            }
            marker = out.NextMarker;
        } while (marker);
        return rules;
    }
    async createRule(p) {
        const out = await this.client.send(new client_elastic_load_balancing_v2_dist_cjs/* CreateRuleCommand */.OOk({
            ListenerArn: p.listenerArn,
            Priority: p.priority,
            Conditions: p.conditions,
            Actions: p.actions,
        }));
        const arn = out.Rules?.[0]?.RuleArn;
        if (!arn)
            throw new Error('CreateRule returned no rule');
        return arn;
    }
    /** Deletes a rule; one that is already gone counts as deleted. */
    async deleteRule(ruleArn) {
        try {
            await this.client.send(new client_elastic_load_balancing_v2_dist_cjs/* DeleteRuleCommand */.piX({ RuleArn: ruleArn }));
        }
        catch (error) {
            if (!(error instanceof client_elastic_load_balancing_v2_dist_cjs/* RuleNotFoundException */.FQ))
                throw error;
        }
    }
    /** Health of every registered target of a group (one call whatever the fleet size). */
    async targetHealth(targetGroupArn) {
        const out = await this.client.send(new client_elastic_load_balancing_v2_dist_cjs/* DescribeTargetHealthCommand */.qyg({ TargetGroupArn: targetGroupArn }));
        const health = new Map();
        for (const d of out.TargetHealthDescriptions ?? []) {
            const id = d.Target?.Id;
            if (!id)
                continue;
            health.set(id, {
                state: d.TargetHealth?.State ?? 'unknown',
                reason: d.TargetHealth?.Reason,
                description: d.TargetHealth?.Description,
            });
        }
        return health;
    }
}
/**
 * Describe* never returns an OIDC client secret, and Modify* demands one unless
 * told to keep the existing secret: write actions back so that it is kept.
 */
function writableAction(action) {
    if (action.Type === 'authenticate-oidc' &&
        action.AuthenticateOidcConfig &&
        !action.AuthenticateOidcConfig.ClientSecret) {
        return {
            ...action,
            AuthenticateOidcConfig: { ...action.AuthenticateOidcConfig, UseExistingClientSecret: true },
        };
    }
    return action;
}

;// CONCATENATED MODULE: ./src/aws/index.ts









function gateways(clients) {
    return {
        autoScaling: new AutoScalingGateway(clients.autoScaling),
        elbv2: new Elbv2Gateway(clients.elbv2),
        ec2: new Ec2Gateway(clients.ec2),
        cloudWatch: new CloudWatchGateway(clients.cloudWatch),
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/engine/journal.ts
/**
 * The record of what a run has started, finished and undone. Every change is
 * handed to `persist` at once (main.ts saves it as runner state), so that a step
 * is on record before its write goes out and a post step can finish the undo.
 */
class Journal {
    persist;
    entries = [];
    constructor(persist = () => { }) {
        this.persist = persist;
    }
    /** A journal carrying on from saved entries (the post step's, from main's state). */
    static from(entries) {
        const journal = new Journal();
        journal.entries.push(...structuredClone([...entries]));
        return journal;
    }
    begin(entry) {
        const recorded = { ...entry, status: 'running' };
        this.entries.push(recorded);
        this.save();
        return recorded;
    }
    update(entry, change) {
        Object.assign(entry, change);
        this.save();
    }
    save() {
        this.persist(this.entries);
    }
}

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/engine/clock.ts
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(abortReason(signal));
        const onAbort = () => {
            clearTimeout(timer);
            reject(abortReason(signal));
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
function abortReason(signal) {
    const reason = signal?.reason;
    return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'cancelled');
}
/** `1h 2m 5s` style, for logs and the summary. */
function formatDuration(ms) {
    const total = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    if (h > 0)
        return `${h}h${m > 0 ? ` ${m}m` : ''}`;
    if (m > 0)
        return `${m}m${s > 0 ? ` ${s}s` : ''}`;
    return `${s}s`;
}

;// CONCATENATED MODULE: ./src/engine/wait.ts

class WaitTimeoutError extends Error {
    name = 'WaitTimeoutError';
}
/** Consecutive failed reads (after the SDK's own retries) tolerated while waiting. */
const READ_FAILURES_TOLERATED = 3;
/**
 * Polls every `pollIntervalMs` until `done`, a `failure`, the phase timeout or
 * the deployment deadline, logging one progress line per poll. Returns the last state.
 */
async function wait_waitFor(ctx, spec) {
    const started = ctx.clock.now();
    const until = Math.min(started + spec.timeoutMs, ctx.deadline);
    let failedReads = 0;
    let last = 'no reading yet';
    for (;;) {
        ctx.signal.throwIfAborted();
        let state;
        try {
            state = await spec.read();
            failedReads = 0;
        }
        catch (error) {
            if (++failedReads > READ_FAILURES_TOLERATED)
                throw error;
            ctx.log.warning(`${spec.what}: reading state failed (${error.message}); retrying`);
        }
        const elapsed = ctx.clock.now() - started;
        if (state !== undefined) {
            last = spec.describe(state);
            ctx.log.info(spec.progress?.(state, elapsed) ??
                `${spec.what}: ${last} (${formatDuration(elapsed)} of ${formatDuration(until - started)})`);
            if (spec.done(state))
                return state;
            const failure = spec.failure?.(state);
            if (failure)
                throw new Error(`${spec.what}: ${failure}`);
        }
        const remaining = until - ctx.clock.now();
        if (remaining <= 0) {
            const bound = started + spec.timeoutMs > ctx.deadline ? 'the deployment timeout' : 'its time limit';
            throw new WaitTimeoutError(`${spec.what}: not reached within ${formatDuration(until - started)} (${bound}); last seen: ${last}`);
        }
        await ctx.clock.sleep(Math.min(ctx.pollIntervalMs, remaining), ctx.signal);
    }
}

;// CONCATENATED MODULE: ./src/engine/group-health.ts

const RANK = ['unhealthy', 'draining', 'not registered', 'initial', 'unavailable', 'unused', 'healthy'];
async function readGroupHealth(aws, name, targetGroupArns) {
    const [group, ...maps] = await Promise.all([
        aws.autoScaling.describeGroup(name),
        ...targetGroupArns.map((arn) => aws.elbv2.targetHealth(arn)),
    ]);
    if (!group)
        throw new Error(`Auto Scaling group ${name} no longer exists`);
    const health = new Map(targetGroupArns.map((arn, i) => [arn, maps[i] ?? new Map()]));
    const counts = new Map();
    for (const instance of group.instances) {
        let state = instance.lifecycle === 'InService' ? 'healthy' : instance.lifecycle.toLowerCase();
        if (instance.lifecycle === 'InService') {
            if (targetGroupArns.length === 0 && instance.health !== 'Healthy')
                state = 'unhealthy';
            for (const map of health.values()) {
                const s = map.get(instance.id)?.state ?? 'not registered';
                if (RANK.indexOf(s) < RANK.indexOf(state))
                    state = s;
            }
        }
        counts.set(state, (counts.get(state) ?? 0) + 1);
    }
    const healthy = counts.get('healthy') ?? 0;
    const unused = counts.get('unused') ?? 0;
    counts.delete('healthy');
    const rest = [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
    return {
        group,
        health,
        healthy,
        unused,
        summary: `${healthy}/${group.desired} healthy${rest ? ` (${rest})` : ''}`,
    };
}
/**
 * Waits until the group has its desired capacity healthy in every target group
 * (InService and Healthy when it has none). With `unusedCounts`, a target not
 * health-checked because no listener forwards to its group counts as ready.
 */
async function waitGroupHealthy(ctx, p) {
    return wait_waitFor(ctx, {
        what: p.what,
        timeoutMs: p.timeoutMs,
        read: () => readGroupHealth(ctx.aws, p.group, p.targetGroupArns),
        describe: (r) => r.summary,
        done: (r) => {
            const ready = r.healthy + (p.unusedCounts ? r.unused : 0);
            return r.group.desired > 0 && ready >= r.group.desired && ready === r.group.instances.length;
        },
    });
}

;// CONCATENATED MODULE: ./src/engine/refresh-undo.ts

const TERMINAL_REFRESH = new Set([
    'Successful',
    'Failed',
    'Cancelled',
    'RollbackSuccessful',
    'RollbackFailed',
]);
/** Statuses in which AWS still accepts RollbackInstanceRefresh. */
const REVERSIBLE = new Set(['Pending', 'InProgress', 'Baking']);
/** `InProgress, 40 %, 3 to update: Waiting for checkpoint…`: what AWS says, one line. */
function describeRefresh(r) {
    const parts = [r.status, `${r.percentageComplete ?? 0} %`];
    if (r.instancesToUpdate !== undefined && !TERMINAL_REFRESH.has(r.status))
        parts.push(`${r.instancesToUpdate} to update`);
    return `${parts.join(', ')}${r.statusReason ? `: ${r.statusReason}` : ''}`;
}
/** Polls one refresh until `done` (by default: it ended). */
async function waitForRefresh(ctx, p) {
    return wait_waitFor(ctx, {
        what: p.what,
        timeoutMs: p.timeoutMs,
        read: async () => {
            const [r] = await ctx.aws.autoScaling.instanceRefreshes(p.group, p.id);
            if (!r)
                throw new Error(`instance refresh ${p.id} of ${p.group} is not listed`);
            return r;
        },
        describe: describeRefresh,
        done: p.done ?? ((r) => TERMINAL_REFRESH.has(r.status)),
    });
}
/** Applies a roll-back-instance-refresh undo; returns what AWS did, or throws when the group could not be restored. */
async function rollBackRefresh(ctx, undo) {
    const aws = ctx.aws.autoScaling;
    const refresh = await refreshOfThisRun(ctx, undo);
    if (!refresh)
        return 'no instance refresh was started: nothing to roll back';
    if (REVERSIBLE.has(refresh.status)) {
        ctx.log.info(`asking AWS to roll back instance refresh ${refresh.id} (${describeRefresh(refresh)})`);
        await aws.rollbackInstanceRefresh(undo.group);
    }
    else if (refresh.status === 'RollbackInProgress') {
        ctx.log.info(`AWS is already rolling back instance refresh ${refresh.id}`);
    }
    const ended = await waitForRefresh(ctx, {
        group: undo.group,
        id: refresh.id,
        what: `rollback of instance refresh ${refresh.id}`,
        timeoutMs: undo.waitMs,
    });
    if (ended.status === 'RollbackSuccessful') {
        const why = ended.rollbackReason ? ` (${ended.rollbackReason})` : '';
        return `AWS rolled back instance refresh ${ended.id}${why}: RollbackSuccessful`;
    }
    if (ended.status === 'RollbackFailed') {
        throw new Error(`AWS could not roll back instance refresh ${ended.id}: ${describeRefresh(ended)}`);
    }
    // Successful, Failed or Cancelled: AWS can no longer roll it back. Refresh back
    // to the previous configuration; skip matching leaves what already runs it.
    ctx.log.info(`instance refresh ${ended.id} ended ${ended.status}; starting a refresh back to launch template version ${undo.previous.version}`);
    const id = await aws.startInstanceRefresh({
        group: undo.group,
        desired: undo.previous,
        preferences: {
            MinHealthyPercentage: undo.minHealthyPercent,
            MaxHealthyPercentage: 100,
            SkipMatching: true,
            AutoRollback: false,
        },
    });
    const back = await waitForRefresh(ctx, {
        group: undo.group,
        id,
        what: `refresh ${id} back to version ${undo.previous.version}`,
        timeoutMs: undo.waitMs,
    });
    if (back.status !== 'Successful') {
        throw new Error(`refresh ${id} back to version ${undo.previous.version} ended ${describeRefresh(back)}`);
    }
    return `instance refresh ${ended.id} had ended ${ended.status}; refresh ${id} restored launch template version ${undo.previous.version}`;
}
/** The refresh this run started: by id, or the newest one the group did not have before the run. */
async function refreshOfThisRun(ctx, p) {
    if (p.refreshId)
        return (await ctx.aws.autoScaling.instanceRefreshes(p.group, p.refreshId))[0];
    const listed = await ctx.aws.autoScaling.instanceRefreshes(p.group);
    return listed.find((r) => !p.before.includes(r.id));
}

;// CONCATENATED MODULE: ./src/engine/undo.ts



/**
 * Puts back one recorded change. Idempotent: every undo restores a snapshot.
 * Undos that wait (Instance Refresh rollback, health) need `ctx` for its clock;
 * they are not cancellable (a cancel is what they answer) and have their own bound.
 */
async function applyUndo(aws, undo, log, ctx) {
    switch (undo.kind) {
        case 'restore-route': {
            await aws.elbv2.writeRoute(undo.route, undo.actions);
            const [after] = await aws.elbv2.describeRoutes(undo.route.kind === 'listener' ? [undo.route.arn] : [], undo.route.kind === 'rule' ? [undo.route.arn] : []);
            // Compared as JSON: an undo read back from runner state has lost its undefined fields.
            if (!after || !(0,external_node_util_.isDeepStrictEqual)(asJson(after.actions), asJson(undo.actions))) {
                throw new Error(`${undo.route.kind} ${undo.route.arn} reads back different from its recorded actions`);
            }
            return `${undo.route.kind} ${shortArn(undo.route.arn)} restored and verified`;
        }
        case 'restore-group': {
            await aws.autoScaling.updateGroup(undo.group, {
                min: undo.min,
                max: undo.max,
                desired: undo.desired,
                launchTemplate: undo.launchTemplate,
            });
            const lt = undo.launchTemplate ? `, launch template version ${undo.launchTemplate.version}` : '';
            return `${undo.group} back to min ${undo.min} / desired ${undo.desired} / max ${undo.max}${lt}`;
        }
        case 'delete-created-versions': {
            const created = (await aws.ec2.versionsAfter(undo.launchTemplateId, undo.after)).filter((v) => !v.isDefault && (v.description ?? '').includes(undo.marker));
            for (const v of created)
                await aws.ec2.deleteVersion(undo.launchTemplateId, v.version);
            if (created.length === 0)
                log.info(`no launch template version of this run to delete`);
            return created.length === 0
                ? 'no version to delete'
                : `deleted launch template version ${created.map((v) => v.version).join(', ')}`;
        }
        case 'roll-back-instance-refresh':
            return rollBackRefresh(waiting(ctx, undo.waitMs), undo);
        case 'delete-marked-rules': {
            const ours = (await aws.elbv2.listenerRules(undo.listenerArn)).filter((r) => hasMarker(r.conditions, undo));
            for (const rule of ours)
                await aws.elbv2.deleteRule(rule.arn);
            return ours.length === 0
                ? 'no rule of this run to delete'
                : `deleted ${ours.length} health-check rule(s)`;
        }
        case 'await-group-healthy': {
            const reading = await waitGroupHealthy(waiting(ctx, undo.waitMs), {
                what: `${undo.group} health after rollback`,
                group: undo.group,
                targetGroupArns: undo.targetGroupArns,
                timeoutMs: undo.waitMs,
            });
            return `${undo.group}: ${reading.summary}`;
        }
    }
}
/** True when the conditions hold the run's marker header with its value. */
function hasMarker(conditions, marker) {
    return conditions.some((c) => c.Field === 'http-header' &&
        c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() === marker.header.toLowerCase() &&
        (c.HttpHeaderConfig.Values ?? []).includes(marker.value));
}
/** A context of its own for waiting in an undo: never aborted, bounded by `waitMs`. */
function waiting(ctx, waitMs) {
    if (!ctx)
        throw new Error('this undo waits and needs the step context');
    return { ...ctx, signal: new AbortController().signal, deadline: ctx.clock.now() + waitMs };
}
/** What an undo puts back, in a few words: `listener web/…/f2f7dc8efc522ab2`. */
function describeUndo(undo) {
    switch (undo.kind) {
        case 'restore-route':
            return `${undo.route.kind} ${shortArn(undo.route.arn)}`;
        case 'restore-group':
            return undo.group;
        case 'delete-created-versions':
            return `versions of ${undo.launchTemplateId}`;
        case 'roll-back-instance-refresh':
            return `instance refresh of ${undo.group}`;
        case 'await-group-healthy':
            return `health of ${undo.group}`;
        case 'delete-marked-rules':
            return `rules of this run on listener ${shortArn(undo.listenerArn)}`;
    }
}
/** `listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2` → `web/…/f2f7dc8efc522ab2`, for readable logs. */
function shortArn(arn) {
    const resource = arn.split(':').slice(5).join(':');
    const parts = resource.split('/');
    if (parts.length >= 4)
        return `${parts[0]}/${parts[2]}/…/${parts[parts.length - 1]}`;
    return resource || arn;
}
function asJson(value) {
    return JSON.parse(JSON.stringify(value));
}

;// CONCATENATED MODULE: ./src/engine/run-plan.ts


/** Attempts per undo (each on top of the SDK's own retries). */
const UNDO_ATTEMPTS = 3;
/**
 * Runs a plan's steps in order. On a failure of a deploy step (error, timeout,
 * cancel) it undoes every step that was started, newest first, before
 * returning; a failing cleanup step only warns.
 */
async function runPlan(plan, ctx, options) {
    const journal = options.journal ?? new Journal();
    const warnings = [];
    let reason;
    for (const step of plan.steps) {
        const entry = journal.begin({
            id: step.id,
            title: step.title,
            phase: step.phase,
            startedAt: ctx.clock.now(),
            undo: step.undo,
            ...(step.undoAlways && { undoAlways: true }),
            ...(step.gate && { gate: step.gate }),
        });
        try {
            if (ctx.signal.aborted)
                throw ctx.signal.reason ?? new Error('cancelled');
            if (step.phase === 'deploy' && ctx.clock.now() >= ctx.deadline)
                throw new Error('the deployment timeout was reached');
            const stepCtx = { ...ctx, saveJournal: () => journal.update(entry, {}) };
            const detail = await ctx.log.group(step.title, () => step.run(stepCtx));
            journal.update(entry, {
                status: 'done',
                outcome: 'done',
                endedAt: ctx.clock.now(),
                detail: detail || undefined,
            });
        }
        catch (error) {
            const message = errorMessage(error, ctx.signal);
            journal.update(entry, {
                status: 'failed',
                outcome: 'failed',
                endedAt: ctx.clock.now(),
                detail: message,
            });
            if (step.phase === 'cleanup') {
                warnings.push(`${step.title}: ${message}`);
                ctx.log.warning(`${step.title} failed: ${message}. The new release is live; this is left for you to finish.`);
                continue;
            }
            reason = `${step.title}: ${message}`;
            break;
        }
    }
    if (reason === undefined)
        return { status: 'succeeded', rollbackIncomplete: false, warnings, journal: journal.entries };
    if (!options.autoRollback) {
        ctx.log.warning('auto-rollback is false: the completed steps are left as they are.');
        const complete = await rollBack(journal, ctx, { onlyAlways: true });
        return { status: 'failed', reason, rollbackIncomplete: !complete, warnings, journal: journal.entries };
    }
    const complete = await rollBack(journal, ctx);
    return {
        status: complete ? 'rolled-back' : 'failed',
        reason,
        rollbackIncomplete: !complete,
        warnings,
        journal: journal.entries,
    };
}
/**
 * Undoes started deploy steps newest first, skipping those already undone (the
 * post step resumes a rollback main began). After an undo fails, only the
 * steps marked `undoAlways` are still undone: other earlier undos assume later
 * ones held. With `onlyAlways` (auto-rollback false) only those are undone.
 */
async function rollBack(journal, ctx, options = {}) {
    const toUndo = journal.entries
        .filter((e) => e.phase === 'deploy' && e.status !== 'undone' && e.undo && e.undo.length > 0)
        .filter((e) => !options.onlyAlways || e.undoAlways)
        .reverse();
    if (toUndo.length === 0)
        return true;
    // Several steps may record the same snapshot (every traffic step restores the
    // original routes): it is applied once, by the newest step, so that a rollback
    // writes each route once.
    const applied = new Set();
    return ctx.log.group(options.onlyAlways ? 'Restore what must not outlive the run' : 'Roll back', async () => {
        let complete = true;
        for (const entry of toUndo) {
            if (!complete && !entry.undoAlways)
                continue;
            journal.update(entry, { status: 'undoing' });
            const details = [];
            try {
                for (const undo of entry.undo ?? []) {
                    const key = JSON.stringify(undo);
                    if (applied.has(key)) {
                        details.push(`${describeUndo(undo)}: already restored above`);
                        continue;
                    }
                    details.push(await withAttempts(() => applyUndo(ctx.aws, undo, ctx.log, ctx), ctx));
                    applied.add(key);
                }
                journal.update(entry, {
                    status: 'undone',
                    undoneAt: ctx.clock.now(),
                    undoDetail: details.join('; '),
                });
                ctx.log.info(`undone: ${entry.title}: ${details.join('; ')}`);
            }
            catch (error) {
                const message = error.message;
                journal.update(entry, { status: 'undo-failed', undoneAt: ctx.clock.now(), undoDetail: message });
                ctx.log.warning(`could not undo "${entry.title}": ${message}. Rollback stopped here, but for what must not outlive the run.`);
                complete = false;
            }
        }
        return complete;
    });
}
/** Undo is not cancellable: a cancel is what it answers. It retries with the clock, ignoring the abort signal. */
async function withAttempts(fn, ctx) {
    for (let attempt = 1;; attempt++) {
        try {
            return await fn();
        }
        catch (error) {
            if (attempt >= UNDO_ATTEMPTS)
                throw error;
            ctx.log.warning(`undo attempt ${attempt} failed (${error.message}); retrying`);
            await ctx.clock.sleep(Math.min(ctx.pollIntervalMs, 5000));
        }
    }
}
function errorMessage(error, signal) {
    if (signal.aborted && (error === signal.reason || error?.name === 'AbortError')) {
        return `cancelled (${signal.reason?.message ?? 'aborted'})`;
    }
    if (error instanceof Error)
        return error.message;
    return String(error);
}

;// CONCATENATED MODULE: ./src/state/record.ts
const TAG_PREFIX = 'asg-deploy:';
/** Tag value limit of Auto Scaling. */
const MAX_VALUE = 256;
const FIELDS = ['version-label', 'launch-template', 'color', 'group', 'time', 'run-url'];
function key(slot, field) {
    return `${TAG_PREFIX}${slot === 'previous' ? 'previous-' : ''}${field}`;
}
/** Every tag key of the record, for plan output and clean-up. */
const RECORD_KEYS = ['current', 'previous'].flatMap((slot) => FIELDS.map((field) => key(slot, field)));
/** The record as tags; an absent previous entry is written as empty values (so a stale one never lingers). */
function recordTags(record) {
    const tags = {};
    for (const slot of ['current', 'previous']) {
        const entry = record[slot];
        const values = {
            'version-label': entry?.versionLabel ?? '',
            'launch-template': entry ? `${entry.launchTemplateId}:${entry.launchTemplateVersion}` : '',
            color: entry?.color ?? '',
            group: entry?.group ?? '',
            time: entry?.time ?? '',
            'run-url': entry?.runUrl ?? '',
        };
        for (const field of FIELDS)
            tags[key(slot, field)] = values[field].slice(0, MAX_VALUE);
    }
    return tags;
}
/** The record in one group's tags; undefined when there is none (or it is unreadable). */
function parseRecord(tags) {
    const current = parseEntry(tags, 'current');
    if (!current)
        return undefined;
    const previous = parseEntry(tags, 'previous');
    return previous ? { current, previous } : { current };
}
/** The newest record over several groups (blue and green carry the same one). */
function newestRecord(tagsByGroup) {
    let newest;
    for (const tags of tagsByGroup.values()) {
        const record = parseRecord(tags);
        if (record && (!newest || record.current.time > newest.current.time))
            newest = record;
    }
    return newest;
}
/** `v1.2 (blue, launch template version 7)`: for headlines and the summary. */
function describeEntry(entry) {
    const where = [entry.color, `launch template version ${entry.launchTemplateVersion}`].filter(Boolean);
    return `${entry.versionLabel || 'unlabelled version'} (${where.join(', ')})`;
}
function parseEntry(tags, slot) {
    const get = (field) => tags[key(slot, field)] ?? '';
    const lt = /^(lt-[0-9a-zA-Z]+):(\S+)$/.exec(get('launch-template'));
    const time = get('time');
    if (!lt || time === '' || Number.isNaN(Date.parse(time)))
        return undefined;
    const color = get('color');
    return {
        versionLabel: get('version-label'),
        launchTemplateId: lt[1] ?? '',
        launchTemplateVersion: lt[2] ?? '',
        ...((color === 'blue' || color === 'green') && { color }),
        group: get('group'),
        time,
        runUrl: get('run-url'),
    };
}

;// CONCATENATED MODULE: ./src/state/lock.ts

const LOCK_KEY = `${TAG_PREFIX}lock`;
const LOCK_URL_KEY = `${TAG_PREFIX}lock-run-url`;
/** How long a written lock is given to settle before it is read back. */
const LOCK_SETTLE_MS = 5_000;
/** The lock outlives `timeout` by this much, so a crashed run never blocks the fleet for long. */
const LOCK_GRACE_MS = 5 * 60_000;
class LockHeldError extends Error {
    name = 'LockHeldError';
}
function newLock(run, token, expiresAt) {
    return { runId: run.runId, attempt: run.attempt, token, expiresAt, runUrl: run.runUrl };
}
function lockTags(lock) {
    return {
        [LOCK_KEY]: `run=${lock.runId} attempt=${lock.attempt} token=${lock.token} expires=${new Date(lock.expiresAt).toISOString()}`,
        [LOCK_URL_KEY]: lock.runUrl.slice(0, 256),
    };
}
function parseLock(tags) {
    const value = tags?.[LOCK_KEY];
    if (!value)
        return undefined;
    const field = (name) => new RegExp(`(?:^| )${name}=(\\S+)`).exec(value)?.[1] ?? '';
    const expiresAt = Date.parse(field('expires'));
    return {
        runId: field('run') || 'unknown',
        attempt: Number(field('attempt')) || 1,
        token: field('token'),
        // An unreadable lock is treated as held until it is removed by hand: never guess it away.
        expiresAt: Number.isNaN(expiresAt) ? Number.POSITIVE_INFINITY : expiresAt,
        runUrl: tags?.[LOCK_URL_KEY] ?? '',
    };
}
/** `run 123 (https://…/runs/123), until 10:42:00 UTC`. */
function describeHolder(lock) {
    const until = Number.isFinite(lock.expiresAt)
        ? `, until ${new Date(lock.expiresAt).toISOString().replace('T', ' ').slice(0, 19)} UTC`
        : '';
    return `run ${lock.runId}${lock.attempt > 1 ? ` attempt ${lock.attempt}` : ''}${lock.runUrl ? ` (${lock.runUrl})` : ''}${until}`;
}
/**
 * Throws LockHeldError when another run holds an unexpired lock on one of the
 * groups. An expired lock, or one left by an earlier attempt of this same run
 * (attempts of a run never overlap), is reported as a warning: it will be taken over.
 */
function checkLocks(locks, groups, me, now, log) {
    for (const group of groups) {
        const held = parseLock(locks.get(group));
        if (!held || held.token === me.token)
            continue;
        if (held.runId === me.runId && held.attempt < me.attempt) {
            log.warning(`${group}: taking over the lock left by attempt ${held.attempt} of this run`);
            continue;
        }
        if (held.expiresAt <= now) {
            log.warning(`${group}: taking over an expired lock of ${describeHolder(held)}`);
            continue;
        }
        throw new LockHeldError(`${group} is locked by another deployment: ${describeHolder(held)}. Nothing was changed. Wait for that run to finish (or cancel it), then run again.`);
    }
}
/**
 * Takes the lock on every group: read, refuse a foreign lock, write ours,
 * wait, read back. `beforeWrite` runs just before the write is sent (main saves
 * the lock for the post step there, so a lock of ours is never left behind).
 */
async function acquireLock(deps, groups, lock, beforeWrite) {
    const { aws, clock, log } = deps;
    if (groups.length === 0)
        return; // traffic between target groups only: no group to hold a lock
    checkLocks(await aws.autoScaling.readTags(groups, TAG_PREFIX), groups, lock, clock.now(), log);
    beforeWrite();
    await aws.autoScaling.putTags(groups, lockTags(lock));
    // Not abortable: the lock must be confirmed or released, never left half-known.
    await clock.sleep(LOCK_SETTLE_MS);
    const after = await aws.autoScaling.readTags(groups, TAG_PREFIX);
    const lost = groups
        .map((group) => ({ group, held: parseLock(after.get(group)) }))
        .find(({ held }) => held?.token !== lock.token);
    if (lost) {
        const holder = lost.held ? describeHolder(lost.held) : 'nobody (the lock tag was removed)';
        throw new LockHeldError(`${lost.group}: another deployment took the lock at the same time: ${holder}. Nothing was changed; run again once it has finished.`);
    }
    log.info(`lock taken on ${groups.join(', ')} until ${new Date(lock.expiresAt).toISOString()}`);
}
/** Removes the lock from the groups where it is still ours; returns those groups. */
async function releaseLock(aws, groups, token) {
    const tags = await aws.autoScaling.readTags(groups, TAG_PREFIX);
    const ours = groups.filter((group) => parseLock(tags.get(group))?.token === token);
    if (ours.length > 0)
        await aws.autoScaling.deleteTags(ours, [LOCK_KEY, LOCK_URL_KEY]);
    return ours;
}

;// CONCATENATED MODULE: ./src/state/record-step.ts

function recordWrite(plan) {
    const what = `${plan.serving.versionLabel || 'unlabelled version'}${plan.serving.color ? ` on ${plan.serving.color}` : ''}`;
    return {
        service: 'autoscaling',
        action: 'CreateOrUpdateTags',
        target: plan.groups.join(', '),
        detail: `deployment record: ${what}; previous: ${plan.previous ? describeEntry(plan.previous) : 'none'}`,
    };
}
function recordStep(plan, runUrl) {
    return {
        id: 'record-deployment',
        title: `Record the deployment in the tags of ${plan.groups.join(', ')}`,
        phase: 'cleanup',
        writes: [recordWrite(plan)],
        run: async (ctx) => {
            const group = await ctx.aws.autoScaling.describeGroup(plan.serving.group);
            const lt = group?.launchTemplate;
            if (!lt)
                throw new Error(`${plan.serving.group} has no launch template to record`);
            const current = {
                versionLabel: plan.serving.versionLabel,
                launchTemplateId: lt.id,
                launchTemplateVersion: lt.version,
                ...(plan.serving.color && { color: plan.serving.color }),
                group: plan.serving.group,
                time: new Date(ctx.clock.now()).toISOString(),
                runUrl,
            };
            await ctx.aws.autoScaling.putTags(plan.groups, recordTags({ current, previous: plan.previous }));
            return `now ${describeEntry(current)}; previous ${plan.previous ? describeEntry(plan.previous) : 'none'}`;
        },
    };
}
/** The steps with `step` placed after the last deploy step (cleanup steps always come last). */
function withStepBeforeCleanup(steps, step) {
    const at = steps.findIndex((s) => s.phase === 'cleanup');
    return at < 0 ? [...steps, step] : [...steps.slice(0, at), step, ...steps.slice(at)];
}

;// CONCATENATED MODULE: ./src/state/saved-run.ts
const STATE = {
    /** Region, poll interval and auto-rollback: enough for post to act without inputs. */
    context: 'context',
    /** The lock this run is taking or holds: saved before the lock tag is written. */
    lock: 'lock',
    /** The journal: every step recorded before its write is sent. */
    journal: 'journal',
    /** Set once main's plan has ended (finished, rolled back or failed): nothing left to undo. */
    finished: 'finished',
};
/** Reads main's state; undefined when main saved none (it stopped before any AWS call). */
function saved_run_readSavedRun(get) {
    const context = parse(get(STATE.context));
    if (!context)
        return undefined;
    const lock = parse(get(STATE.lock));
    return {
        context,
        ...(lock && { lock }),
        journal: parse(get(STATE.journal)) ?? [],
        finished: get(STATE.finished) === 'true',
    };
}
function parse(text) {
    if (text === '')
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/strategies/deploy-target.ts
/**
 * Reads the version to deploy on `template` (the group's launch template), or,
 * for an image, the `source` version to copy. Adds a problem and returns
 * undefined when it does not exist.
 */
async function resolveDeployTarget(config, aws, p, problems) {
    const lt = p.template;
    if (config.launchTemplateVersion) {
        const found = await aws.ec2.launchTemplateVersion(lt.id, config.launchTemplateVersion);
        if (!found) {
            problems.push(`launch-template-version: launch template ${lt.name ?? lt.id} (used by ${p.groupName}) has no version ${config.launchTemplateVersion}`);
            return undefined;
        }
        return {
            kind: 'version',
            launchTemplateId: lt.id,
            version: config.launchTemplateVersion,
            resolvedVersion: found.version,
        };
    }
    if (!config.imageId)
        return undefined;
    const [sourceVersion, latest] = await Promise.all([
        aws.ec2.launchTemplateVersion(lt.id, p.source.version),
        aws.ec2.launchTemplateVersion(lt.id, '$Latest'),
    ]);
    if (!sourceVersion || !latest) {
        problems.push(`launch template ${lt.id}: version ${p.source.version} could not be read`);
        return undefined;
    }
    return {
        kind: 'image',
        launchTemplateId: lt.id,
        sourceVersion: sourceVersion.version,
        imageId: config.imageId,
        sourceImageId: sourceVersion.imageId,
        latestVersion: latest.version,
    };
}
/**
 * The step that creates the launch template version of an image deploy. Its
 * undo deletes only versions carrying this run's marker; `created` receives
 * the new number for the steps after it.
 */
function createVersionStep(target, options, created) {
    const marker = `asg-deploy ${options.runToken}`;
    const write = {
        service: 'ec2',
        action: 'CreateLaunchTemplateVersion',
        target: target.launchTemplateId,
        detail: `source ${target.sourceVersion}, ImageId ${target.imageId}`,
    };
    return {
        id: 'create-launch-template-version',
        title: `Create a launch template version from version ${target.sourceVersion} with image ${target.imageId}`,
        phase: 'deploy',
        writes: [write],
        undo: [
            {
                kind: 'delete-created-versions',
                launchTemplateId: target.launchTemplateId,
                after: target.latestVersion,
                marker,
            },
        ],
        run: async (ctx) => {
            const version = await ctx.aws.ec2.createVersionWithImage({
                launchTemplateId: target.launchTemplateId,
                sourceVersion: target.sourceVersion,
                imageId: target.imageId,
                description: `${marker}: ${target.imageId} for ${options.groupName} (${options.runLabel})`.slice(0, 255),
                clientToken: options.runToken,
            });
            created(version);
            return `version ${version}`;
        },
    };
}

;// CONCATENATED MODULE: ./src/strategies/gates.ts



/** Target states that fail the gate for any target, expected or not. */
const FAILING = new Set(['unhealthy', 'draining']);
/** One poll: DescribeTargetHealth (when watching targets) and DescribeAlarms per 100 names, together. */
async function readGates(aws, spec) {
    const [targets, alarms] = await Promise.all([
        spec.targetGroupArn ? aws.elbv2.targetHealth(spec.targetGroupArn) : new Map(),
        spec.alarmNames.length > 0
            ? aws.cloudWatch.describeAlarms(spec.alarmNames)
            : new Map(),
    ]);
    return {
        targets,
        alarms: spec.alarmNames.map((name) => alarms.get(name) ?? { name, state: 'MISSING' }),
    };
}
/** Why the gate fails, naming each instance and alarm; undefined when it holds. */
function gateFailure(reading, spec) {
    const reasons = [];
    for (const alarm of reading.alarms) {
        if (alarm.state === 'ALARM')
            reasons.push(`alarm "${alarm.name}" is in ALARM${alarm.reason ? ` (${alarm.reason})` : ''}`);
        else if (alarm.state === 'MISSING')
            reasons.push(`alarm "${alarm.name}" no longer exists`);
    }
    if (spec.targetGroupArn) {
        for (const id of spec.targetIds) {
            const health = reading.targets.get(id);
            if (!health)
                reasons.push(`instance ${id} is no longer registered in ${shortArn(spec.targetGroupArn)}`);
            else if (health.state !== 'healthy')
                reasons.push(`instance ${id} is ${describeHealth(health)}`);
        }
        for (const [id, health] of reading.targets) {
            if (!spec.targetIds.includes(id) && FAILING.has(health.state))
                reasons.push(`instance ${id} is ${describeHealth(health)}`);
        }
    }
    return reasons.length > 0 ? reasons.join('; ') : undefined;
}
/** `6/6 healthy, 0 alarms` (alarms in ALARM), plus INSUFFICIENT_DATA alarms by name. */
function describeGates(reading, spec) {
    const parts = [];
    if (spec.targetGroupArn)
        parts.push(healthCount(reading, spec));
    const inAlarm = reading.alarms.filter((a) => a.state === 'ALARM').length;
    parts.push(`${inAlarm} alarm${inAlarm === 1 ? '' : 's'}`);
    const insufficient = reading.alarms.filter((a) => a.state === 'INSUFFICIENT_DATA').map((a) => a.name);
    if (insufficient.length > 0)
        parts.push(`INSUFFICIENT_DATA: ${insufficient.join(', ')}`);
    return parts.join(', ');
}
/** `5/6 healthy`: healthy targets over the expected ones and any other registered. */
function healthCount(reading, spec) {
    const all = new Set([...spec.targetIds, ...reading.targets.keys()]);
    const healthy = [...all].filter((id) => reading.targets.get(id)?.state === 'healthy').length;
    return `${healthy}/${all.size} healthy`;
}
/**
 * Holds for `durationMs`, polling the gates and logging one line per poll
 * (`canary 10 %: 3m of 5m, 6/6 healthy, 0 alarms`). Throws on the first failing
 * poll; `onEnd` sees the outcome first, so that it can be recorded.
 */
async function watchGates(ctx, p) {
    const started = ctx.clock.now();
    let last;
    try {
        const reading = await wait_waitFor(ctx, {
            what: p.label,
            // A little slack past the hold, so that a failed read at its very end is read again.
            timeoutMs: p.durationMs + 3 * ctx.pollIntervalMs,
            read: async () => (last = await readGates(ctx.aws, p.spec)),
            describe: (r) => describeGates(r, p.spec),
            progress: (r, elapsed) => `${p.label}: ${formatDuration(Math.min(elapsed, p.durationMs))} of ${formatDuration(p.durationMs)}, ${describeGates(r, p.spec)}`,
            failure: (r) => gateFailure(r, p.spec),
            done: (r) => ctx.clock.now() - started >= p.durationMs && gateFailure(r, p.spec) === undefined,
        });
        p.onEnd?.({ passed: true, last: reading });
        return reading;
    }
    catch (error) {
        p.onEnd?.({
            passed: false,
            ...(last ? { last } : {}),
            failure: error.message.replace(`${p.label}: `, ''),
        });
        throw error;
    }
}
/**
 * Pre-flight: every alarm must exist and none may be in ALARM already (the
 * first gate would roll the deploy back). Adds problems naming alarm-names.
 */
async function checkAlarms(aws, names, problems) {
    if (names.length === 0)
        return new Map();
    let found;
    try {
        found = await aws.cloudWatch.describeAlarms(names);
    }
    catch (error) {
        problems.push(`alarm-names: the alarms could not be read: ${error.message}`);
        return new Map();
    }
    const missing = names.filter((n) => !found.has(n));
    if (missing.length > 0) {
        problems.push(`alarm-names: no CloudWatch alarm named ${missing.map((n) => `"${n}"`).join(', ')} in this account and region`);
    }
    for (const name of names) {
        const alarm = found.get(name);
        if (alarm?.state === 'ALARM') {
            problems.push(`alarm-names: "${name}" is in ALARM before any change${alarm.reason ? ` (${alarm.reason})` : ''}: the first gate would roll the deploy back; wait until it is OK, or leave it out of alarm-names`);
        }
    }
    return found;
}
function describeHealth(health) {
    return `${health.state}${health.reason ? ` (${health.reason})` : ''}`;
}
/** `4 OK, 1 INSUFFICIENT_DATA (db-latency)`, for the pre-flight log line. */
function summarizeAlarms(alarms) {
    const byState = new Map();
    for (const a of alarms)
        byState.set(a.state, [...(byState.get(a.state) ?? []), a.name]);
    return [...byState]
        .map(([state, names]) => `${names.length} ${state}${state === 'OK' ? '' : ` (${names.join(', ')})`}`)
        .join(', ');
}

;// CONCATENATED MODULE: ./src/strategies/prepared.ts
/** Pre-flight refusals: every problem found, none of them written to AWS. */
class PreflightError extends Error {
    problems;
    name = 'PreflightError';
    constructor(problems) {
        super(problems.length === 1 ? (problems[0] ?? '') : `${problems.length} problems found before any change`);
        this.problems = problems;
    }
}

;// CONCATENATED MODULE: ./src/strategies/traffic.ts
/** Reads how a route's forward action shares traffic between the colors. */
function readRoute(actions, colors) {
    const forwards = actions.filter((a) => a.Type === 'forward');
    const weights = { blue: 0, green: 0 };
    const foreign = [];
    for (const forward of forwards) {
        for (const { arn, weight } of forwardTargets(forward)) {
            if (arn === colors.blue)
                weights.blue += weight;
            else if (arn === colors.green)
                weights.green += weight;
            else
                foreign.push(arn);
        }
    }
    const total = weights.blue + weights.green;
    const split = total === 0
        ? { blue: 0, green: 0 }
        : { blue: Math.round((100 * weights.blue) / total), green: Math.round((100 * weights.green) / total) };
    return { split, foreign, forwardActions: forwards.length };
}
/**
 * The same actions with the forward action sending `split` to the colors. All
 * else is kept as it was: other actions, order, stickiness. Both colors stay
 * listed, the idle one at weight 0: a target group that no action references is
 * not health-checked (its targets read `unused`), so the idle color could never
 * be seen healthy before it gets traffic.
 */
function withSplit(actions, colors, split) {
    const colorOf = (arn) => arn === colors.blue ? 'blue' : arn === colors.green ? 'green' : undefined;
    return actions.map((action) => {
        if (action.Type !== 'forward')
            return action;
        const listed = forwardTargets(action)
            .map((t) => colorOf(t.arn))
            .filter((c) => c !== undefined);
        const order = [...new Set([...listed, 'blue', 'green'])];
        const targetGroups = order.map((color) => ({ TargetGroupArn: colors[color], Weight: split[color] }));
        const rewritten = {
            ...action,
            ForwardConfig: { ...action.ForwardConfig, TargetGroups: targetGroups },
        };
        delete rewritten.TargetGroupArn;
        return rewritten;
    });
}
/** True when the route's forward action names the color's target group (at any weight). */
function references(actions, targetGroupArn) {
    return actions.some((a) => a.Type === 'forward' && forwardTargets(a).some((t) => t.arn === targetGroupArn));
}
function allTo(color) {
    return color === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
}
function describeSplit(split) {
    return `blue ${split.blue} % / green ${split.green} %`;
}
function forwardTargets(forward) {
    const groups = forward.ForwardConfig?.TargetGroups;
    if (groups && groups.length > 0) {
        return groups.map((g) => ({ arn: g.TargetGroupArn ?? '', weight: g.Weight ?? 1 }));
    }
    return forward.TargetGroupArn ? [{ arn: forward.TargetGroupArn, weight: 1 }] : [];
}
/** The forward action's weights per color as written (not normalized), and any other target group. */
function weightsOf(actions, colors) {
    const weights = { blue: 0, green: 0, foreign: 0 };
    for (const forward of actions.filter((a) => a.Type === 'forward')) {
        for (const { arn, weight } of forwardTargets(forward)) {
            if (arn === colors.blue)
                weights.blue += weight;
            else if (arn === colors.green)
                weights.green += weight;
            else
                weights.foreign += weight;
        }
    }
    return weights;
}
/** The forward action's stickiness, with the API's default (off) made explicit. */
function stickinessOf(actions) {
    const config = actions.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroupStickinessConfig;
    return config?.Enabled ? { enabled: true, durationSeconds: config.DurationSeconds } : { enabled: false };
}
/** The split that sends `percent` to `to` and the rest to the other color. */
function splitFor(to, percent) {
    return to === 'green' ? { blue: 100 - percent, green: percent } : { blue: percent, green: 100 - percent };
}

;// CONCATENATED MODULE: ./src/strategies/blue-green-preflight.ts





const other = (color) => (color === 'blue' ? 'green' : 'blue');
/**
 * Reads everything a blue/green deploy depends on and refuses unsafe states,
 * collecting every problem. Read-only: no write is sent from here.
 */
async function observeBlueGreen(config, aws) {
    const problems = [];
    const { groups, colors, routes, splits, health, alarms } = await readBlueGreen(config, aws, problems);
    const live = liveColor(routes, splits, problems);
    if (problems.length > 0 || !live)
        throw new PreflightError(problems);
    const idle = other(live);
    const liveGroup = groups[live];
    const idleGroup = groups[idle];
    if (liveGroup.desired === 0) {
        problems.push(`${liveGroup.name} (${live}, live) has no capacity (desired 0): there is nothing to size ${idle} after`);
    }
    const target = await resolveTarget(config, aws, liveGroup, idleGroup, problems);
    if (problems.length > 0 || !target)
        throw new PreflightError(problems);
    const fleets = fleetsOf({ groups, colors, health });
    const liveLt = liveGroup.launchTemplate;
    const unchanged = target.kind === 'version'
        ? liveLt?.id === target.launchTemplateId && liveLt.version === target.version
        : liveLt?.id === target.launchTemplateId && target.sourceImageId === target.imageId;
    return { live, idle, fleets, colors, routes, splits, target, unchanged, alarms };
}
/**
 * Reads both groups, their target groups, the routes and target health;
 * pushes every problem found (routes that cannot be switched, running instance
 * refreshes) and throws PreflightError when the colors cannot be resolved.
 */
async function readBlueGreen(config, aws, problems) {
    const names = { blue: config.blue.autoScalingGroup ?? '', green: config.green.autoScalingGroup ?? '' };
    const [groups, routes, alarms] = await Promise.all([
        aws.autoScaling.describeGroups([names.blue, names.green]),
        aws.elbv2.describeRoutes(config.listenerArns, config.listenerRuleArns).catch((error) => {
            problems.push(`listener-arns / listener-rule-arns: ${error.message}`);
            return [];
        }),
        checkAlarms(aws, config.alarmNames, problems),
    ]);
    const resolved = {};
    for (const color of ['blue', 'green']) {
        const input = `${color}-auto-scaling-group`;
        const group = groups.get(names[color]);
        if (!group) {
            problems.push(`${input}: no Auto Scaling group named "${names[color]}" in ${config.region}`);
            continue;
        }
        if (!group.launchTemplate) {
            problems.push(`${input}: ${group.name} uses a ${group.launchSource.replace(/-/g, ' ')}; blue/green needs a group with a launch template`);
        }
        const tg = resolveTargetGroup(group, config[color].targetGroupArn, color, problems);
        if (tg)
            resolved[color] = { group, targetGroupArn: tg };
    }
    const blue = resolved.blue;
    const green = resolved.green;
    if (!blue || !green)
        throw new PreflightError(problems);
    if (blue.targetGroupArn === green.targetGroupArn) {
        problems.push(`blue and green use the same target group ${blue.targetGroupArn}: each color needs its own`);
        throw new PreflightError(problems);
    }
    const colors = { blue: blue.targetGroupArn, green: green.targetGroupArn };
    const splits = routes.map((route) => checkRoute(route, colors, problems));
    const refreshes = await Promise.all([blue.group, green.group].map(async (g) => ({
        g,
        refresh: await aws.autoScaling.activeInstanceRefresh(g.name),
    })));
    for (const { g, refresh } of refreshes) {
        if (refresh) {
            problems.push(`${g.name}: instance refresh ${refresh.id} is ${refresh.status}; wait for it to end (or cancel it) before deploying`);
        }
    }
    const [blueHealth, greenHealth] = await Promise.all([
        aws.elbv2.targetHealth(colors.blue),
        aws.elbv2.targetHealth(colors.green),
    ]);
    return {
        groups: { blue: blue.group, green: green.group },
        colors,
        routes,
        splits,
        health: { blue: blueHealth, green: greenHealth },
        alarms,
    };
}
function fleetsOf(reading) {
    const fleet = (color) => ({
        color,
        group: reading.groups[color],
        targetGroupArn: reading.colors[color],
        health: reading.health[color],
    });
    return { blue: fleet('blue'), green: fleet('green') };
}
function resolveTargetGroup(group, given, color, problems) {
    if (given) {
        if (!group.targetGroupArns.includes(given)) {
            problems.push(`${color}-target-group-arn: ${group.name} is not attached to ${shortArn(given)} (attached: ${listOrNone(group.targetGroupArns)})`);
            return undefined;
        }
        return given;
    }
    if (group.targetGroupArns.length === 1)
        return group.targetGroupArns[0];
    problems.push(group.targetGroupArns.length === 0
        ? `${color}-auto-scaling-group: ${group.name} is attached to no target group; attach its target group or set ${color}-target-group-arn`
        : `${color}-target-group-arn: ${group.name} is attached to ${group.targetGroupArns.length} target groups (${listOrNone(group.targetGroupArns)}); say which one is the ${color} color's`);
    return undefined;
}
/** A route must forward, once, to blue and/or green only. */
function checkRoute(route, colors, problems) {
    const reading = readRoute(route.actions, colors);
    const name = `${route.kind} ${shortArn(route.arn)}`;
    const input = route.kind === 'listener' ? 'listener-arns' : 'listener-rule-arns';
    if (route.kind === 'listener' && route.protocol && !['HTTP', 'HTTPS'].includes(route.protocol)) {
        problems.push(`${input}: ${name} is a ${route.protocol} listener; only Application Load Balancer listeners are supported`);
    }
    if (reading.forwardActions !== 1) {
        problems.push(`${input}: ${name} has ${reading.forwardActions} forward actions; exactly one is needed to move traffic`);
    }
    else if (reading.foreign.length > 0) {
        problems.push(`${input}: ${name} forwards to target groups other than blue and green (${reading.foreign.map(shortArn).join(', ')})`);
    }
    else if (reading.split.blue + reading.split.green === 0) {
        problems.push(`${input}: ${name} forwards no traffic to blue or green (all weights are 0)`);
    }
    return reading.split;
}
/** Exactly one color must carry all traffic on every route. */
function liveColor(routes, splits, problems) {
    const seen = new Set();
    splits.forEach((split, i) => {
        if (split.blue > 0 && split.green > 0) {
            const route = routes[i];
            problems.push(`${route?.kind} ${shortArn(route?.arn ?? '')} sends traffic to both colors (blue ${split.blue} %, green ${split.green} %): an earlier deploy was interrupted. Run with mode: rollback to return to the last good color.`);
        }
        else if (split.blue > 0)
            seen.add('blue');
        else if (split.green > 0)
            seen.add('green');
    });
    if (seen.size > 1) {
        problems.push('the listeners disagree on the live color (some forward to blue, some to green): make them agree first');
    }
    return seen.size === 1 ? [...seen][0] : undefined;
}
async function resolveTarget(config, aws, live, idle, problems) {
    const idleLt = idle.launchTemplate;
    if (!idleLt)
        return undefined;
    // Start from what serves now: the live group's version when both share the template.
    const source = live.launchTemplate?.id === idleLt.id ? live.launchTemplate : idleLt;
    return resolveDeployTarget(config, aws, { template: idleLt, source, groupName: idle.name }, problems);
}
function listOrNone(arns) {
    return arns.length === 0 ? 'none' : arns.map(shortArn).join(', ');
}

;// CONCATENATED MODULE: ./src/strategies/fleet.ts

async function readFleet(aws, groupName, targetGroupArn) {
    const [group, health] = await Promise.all([
        aws.autoScaling.describeGroup(groupName),
        aws.elbv2.targetHealth(targetGroupArn),
    ]);
    if (!group)
        throw new Error(`Auto Scaling group ${groupName} no longer exists`);
    return { group, health };
}
function inService(reading) {
    return reading.group.instances.filter((i) => i.lifecycle === 'InService').map((i) => i.id);
}
/** Instances of the group that the target group reports healthy. */
function healthyInstances(reading) {
    return inService(reading).filter((id) => reading.health.get(id)?.state === 'healthy');
}
/** `4/6 healthy (1 initial, 1 pending)` against the group's desired capacity. */
function describeFleet(reading) {
    const counts = new Map();
    for (const instance of reading.group.instances) {
        const state = instance.lifecycle === 'InService'
            ? (reading.health.get(instance.id)?.state ?? 'not registered')
            : instance.lifecycle.toLowerCase();
        counts.set(state, (counts.get(state) ?? 0) + 1);
    }
    const healthy = counts.get('healthy') ?? 0;
    counts.delete('healthy');
    const rest = [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
    return `${healthy}/${reading.group.desired} healthy${rest ? ` (${rest})` : ''}`;
}
/** Waits until the group has its desired capacity InService and every one of them healthy. */
async function waitForHealthy(ctx, p) {
    return wait_waitFor(ctx, {
        what: p.what,
        timeoutMs: p.timeoutMs,
        read: () => readFleet(ctx.aws, p.groupName, p.targetGroupArn),
        describe: describeFleet,
        done: (r) => {
            const ids = inService(r);
            return ids.length >= r.group.desired && healthyInstances(r).length === ids.length && ids.length > 0;
        },
    });
}
/** Waits until the group has no instance left (scale-in finished, targets drained). */
async function waitForEmpty(ctx, p) {
    return wait_waitFor(ctx, {
        what: p.what,
        timeoutMs: p.timeoutMs,
        read: () => readFleet(ctx.aws, p.groupName, p.targetGroupArn),
        describe: (r) => `${r.group.instances.length} instance(s) left`,
        done: (r) => r.group.instances.length === 0,
    });
}
/**
 * Watches a serving fleet for `durationMs`: fails as soon as one of the
 * instances that were healthy at the start leaves service or turns unhealthy.
 */
async function watchHealthy(ctx, p) {
    const started = ctx.clock.now();
    return waitFor(ctx, {
        what: p.what,
        timeoutMs: p.durationMs,
        read: () => readFleet(ctx.aws, p.groupName, p.targetGroupArn),
        describe: describeFleet,
        failure: (r) => {
            const serving = new Set(inService(r));
            for (const id of p.instanceIds) {
                if (!serving.has(id))
                    return `instance ${id} left service`;
                const health = r.health.get(id);
                if (health?.state !== 'healthy') {
                    return `instance ${id} is ${health?.state ?? 'not registered'}${health?.reason ? ` (${health.reason})` : ''}`;
                }
            }
            return undefined;
        },
        done: () => ctx.clock.now() - started >= p.durationMs,
    });
}

;// CONCATENATED MODULE: ./src/strategies/blue-green-report.ts


/** DESIGN's outputs for a blue/green ending. The active color is the new one only once deployed. */
function blueGreenOutputs(config, state, result) {
    const active = result === 'deployed' ? state.idle : state.live;
    const activeFleet = state.fleets[active];
    return {
        result,
        'active-color': active,
        'active-auto-scaling-group': activeFleet.group.name,
        'active-target-group-arn': activeFleet.targetGroupArn,
        'previous-color': state.live,
        'previous-auto-scaling-group': state.fleets[state.live].group.name,
        'version-label': result === 'deployed' ? (config.versionLabel ?? '') : '',
        'previous-version-label': '',
        'launch-template-version': activeFleet.group.launchTemplate?.version ?? '',
        'rollback-reason': '',
    };
}
function blueGreenRowsBefore(state) {
    return ['blue', 'green'].map((color) => {
        const fleet = state.fleets[color];
        const traffic = Math.min(...state.splits.map((s) => s[color]));
        return row(color, fleet.group, fleet.targetGroupArn, describeFleet({ group: fleet.group, health: fleet.health }), traffic);
    });
}
async function blueGreenRowsAfter(aws, state) {
    const listeners = state.routes.filter((r) => r.kind === 'listener').map((r) => r.arn);
    const rules = state.routes.filter((r) => r.kind === 'rule').map((r) => r.arn);
    const [routes, blue, green] = await Promise.all([
        aws.elbv2.describeRoutes(listeners, rules),
        readFleet(aws, state.fleets.blue.group.name, state.colors.blue),
        readFleet(aws, state.fleets.green.group.name, state.colors.green),
    ]);
    const splits = routes.map((r) => readRoute(r.actions, state.colors).split);
    return [
        row('blue', blue.group, state.colors.blue, describeFleet(blue), Math.min(...splits.map((s) => s.blue))),
        row('green', green.group, state.colors.green, describeFleet(green), Math.min(...splits.map((s) => s.green))),
    ];
}
function row(color, group, targetGroupArn, health, traffic) {
    return {
        name: color,
        group: group.name,
        targetGroupArn,
        launchTemplateVersion: group.launchTemplate?.version ?? '-',
        capacity: `${group.min}/${group.desired}/${group.max}`,
        health,
        traffic,
        live: traffic > 0,
    };
}

;// CONCATENATED MODULE: ./src/strategies/traffic-steps.ts




/** Percent of traffic on the new color at each step: canary:10 → 10, 100; linear:25 → 25, 50, 75, 100. */
function shiftSchedule(shift) {
    if (shift.kind === 'all-at-once')
        return [100];
    if (shift.kind === 'canary')
        return [shift.percent, 100];
    const steps = [];
    for (let p = shift.percent; p < 100; p += shift.percent)
        steps.push(p);
    return [...steps, 100];
}
/** Undo of every traffic step: the routes exactly as pre-flight read them. */
function restoreRoutes(routes) {
    return routes.map((r) => ({
        kind: 'restore-route',
        route: { kind: r.kind, arn: r.arn },
        actions: r.actions,
    }));
}
/** The shift, hold and bake steps. Each weight step's undo restores the original routes. */
function trafficSteps(p) {
    const steps = [];
    const schedule = shiftSchedule(p.shift);
    const label = (percent) => p.shift.kind === 'all-at-once' ? `${percent} %` : `${p.shift.kind} ${percent} %`;
    for (const percent of schedule) {
        const split = splitFor(p.to, percent);
        const all = percent === 100;
        steps.push({
            id: p.shift.kind === 'all-at-once' ? 'shift-traffic' : `shift-${percent}`,
            title: all
                ? `Switch ${p.routes.length} route(s) to ${p.to}`
                : `Shift ${percent} % of ${p.routes.length} route(s) to ${p.to}`,
            phase: 'deploy',
            writes: p.routes.map((r) => routeWrite(r, describeSplit(split))),
            undo: restoreRoutes(p.routes),
            run: async (ctx) => {
                await setSplit(ctx, p, split);
                p.records.push({
                    at: ctx.clock.now(),
                    step: label(percent),
                    weights: split,
                    watchedMs: 0,
                    alarms: [],
                });
                return `${describeSplit(split)}, verified on ${p.routes.length} route(s)`;
            },
        });
        if (!all && p.shift.kind !== 'all-at-once') {
            const durationMs = p.shift.intervalMs;
            steps.push({
                id: `pause-${percent}`,
                title: `Watch ${label(percent)} for ${formatDuration(durationMs)}`,
                phase: 'deploy',
                gate: 'health + alarms',
                writes: [],
                run: (ctx) => watch(ctx, p, { label: label(percent), durationMs, record: p.records.at(-1) }),
            });
        }
    }
    if (p.bakeTimeMs > 0) {
        steps.push({
            id: 'bake',
            title: `Bake ${p.to} for ${formatDuration(p.bakeTimeMs)}`,
            phase: 'deploy',
            gate: 'health + alarms',
            writes: [],
            run: async (ctx) => {
                const record = {
                    at: ctx.clock.now(),
                    step: 'bake',
                    weights: splitFor(p.to, 100),
                    watchedMs: 0,
                    alarms: [],
                };
                p.records.push(record);
                return watch(ctx, p, { label: `bake ${p.to}`, durationMs: p.bakeTimeMs, record });
            },
        });
    }
    return steps;
}
/**
 * A route that does not name the idle color gets it at weight 0 first: a target
 * group that no action references is not health-checked, so the idle color
 * could never be seen healthy. Traffic is unchanged. Undefined when every
 * route already names it.
 */
function referenceIdleStep(p) {
    const unreferenced = p.routes.filter((r) => !references(r.actions, p.colors[p.idle]));
    if (unreferenced.length === 0)
        return undefined;
    const split = splitFor(p.live, 100);
    return {
        id: 'reference-idle',
        title: `Add ${p.idle} at weight 0 to ${unreferenced.length} route(s), so that its targets are health-checked`,
        phase: 'deploy',
        writes: unreferenced.map((r) => routeWrite(r, `${p.live} 100, ${p.idle} 0`)),
        undo: restoreRoutes(p.routes),
        run: async (ctx) => {
            await setSplit(ctx, { routes: unreferenced, colors: p.colors }, split);
            return `traffic unchanged: ${describeSplit(split)}`;
        },
    };
}
/**
 * The records with the rollback appended when one put traffic back: the
 * newest undone traffic step's undo is the write that restored the routes.
 */
function withRollback(records, journal, from) {
    const restored = journal
        .filter((e) => (e.id === 'shift-traffic' || /^shift-\d+$/.test(e.id)) && e.status === 'undone')
        .map((e) => e.undoneAt ?? 0);
    if (restored.length === 0)
        return records;
    return [
        ...records,
        { at: Math.min(...restored), step: 'rollback', weights: splitFor(from, 100), watchedMs: 0, alarms: [] },
    ];
}
async function watch(ctx, p, w) {
    const spec = p.gates();
    const started = ctx.clock.now();
    const onEnd = (result) => {
        if (!w.record)
            return;
        w.record.watchedMs = ctx.clock.now() - started;
        w.record.gate = result.passed ? 'passed' : 'failed';
        w.record.detail = result.passed ? result.last && healthCount(result.last, spec) : result.failure;
        w.record.alarms = (result.last?.alarms ?? []).map((a) => ({ name: a.name, state: a.state }));
    };
    const last = await watchGates(ctx, { label: w.label, durationMs: w.durationMs, spec, onEnd });
    const health = spec.targetGroupArn ? `${healthCount(last, spec)}, ` : '';
    return `${health}no alarm in ALARM for ${formatDuration(w.durationMs)}`;
}
/**
 * Writes `split` on every route (all else kept as read in pre-flight), then
 * reads all of them back in one call per kind: each must carry exactly these
 * weights, no other target group, and its stickiness unchanged.
 */
async function setSplit(ctx, p, split) {
    for (const route of p.routes)
        await ctx.aws.elbv2.writeRoute(route, withSplit(route.actions, p.colors, split));
    const listeners = p.routes.filter((r) => r.kind === 'listener').map((r) => r.arn);
    const rules = p.routes.filter((r) => r.kind === 'rule').map((r) => r.arn);
    const after = await ctx.aws.elbv2.describeRoutes(listeners, rules);
    for (const route of after) {
        const original = p.routes.find((r) => r.arn === route.arn);
        const weights = weightsOf(route.actions, p.colors);
        const name = `${route.kind} ${shortArn(route.arn)}`;
        if (weights.blue !== split.blue || weights.green !== split.green || weights.foreign !== 0) {
            throw new Error(`${name} reads back blue ${weights.blue} / green ${weights.green}${weights.foreign ? ` / others ${weights.foreign}` : ''}, expected ${describeSplit(split)}`);
        }
        const [was, now] = [stickinessOf(original?.actions ?? []), stickinessOf(route.actions)];
        if (was.enabled !== now.enabled || was.durationSeconds !== now.durationSeconds) {
            throw new Error(`${name} reads back with stickiness ${JSON.stringify(now)}, expected ${JSON.stringify(was)}`);
        }
    }
}
function routeWrite(route, detail) {
    return {
        service: 'elbv2',
        action: route.kind === 'listener' ? 'ModifyListener' : 'ModifyRule',
        target: route.arn,
        detail: `forward ${detail}`,
    };
}

;// CONCATENATED MODULE: ./src/strategies/blue-green.ts







/** Blue/green: pre-flight, then the plan, the before table and the outputs. */
const prepareBlueGreen = async (config, options) => {
    const state = await observeBlueGreen(config, options.aws);
    const live = state.fleets[state.live].group;
    const idle = state.fleets[state.idle].group;
    options.log.info(`live: ${state.live} (${live.name}); deploying to ${state.idle} (${idle.name})`);
    if (config.alarmNames.length > 0)
        options.log.info(`alarms: ${summarizeAlarms(state.alarms.values())}`);
    const what = config.launchTemplateVersion
        ? `launch template version ${config.launchTemplateVersion}`
        : `image ${config.imageId ?? ''}`;
    const records = [];
    return {
        headline: state.unchanged
            ? `${state.live} (${live.name}) already runs ${what}`
            : `${config.versionLabel ? `${config.versionLabel}, ` : ''}${what}, to ${state.idle} (${idle.name})`,
        plan: planBlueGreen(config, state, { ...options, records }),
        before: blueGreenRowsBefore(state),
        unchanged: state.unchanged,
        outputs: (result) => blueGreenOutputs(config, state, result),
        readAfter: () => blueGreenRowsAfter(options.aws, state),
        traffic: (journal) => withRollback(records, journal, state.live),
        record: {
            groups: [state.fleets.blue.group.name, state.fleets.green.group.name],
            serving: { group: idle.name, color: state.idle, versionLabel: config.versionLabel ?? '' },
            previous: options.record?.current.group === live.name ? options.record.current : liveEntry(state, options.now),
        },
    };
};
/** The live fleet as a record entry, for a fleet that has no record yet (first run of the action). */
function liveEntry(state, now) {
    const group = state.fleets[state.live].group;
    if (!group.launchTemplate)
        return undefined;
    return {
        versionLabel: '',
        launchTemplateId: group.launchTemplate.id,
        launchTemplateVersion: group.launchTemplate.version,
        color: state.live,
        group: group.name,
        time: new Date(now).toISOString(),
        runUrl: '',
    };
}
/**
 * Blue/green as a plan: prepare the idle color with the new version, wait until
 * it is healthy, move every route to it, bake, then retire the old color.
 * Each write step carries the undo that restores what pre-flight observed.
 */
function planBlueGreen(config, state, options) {
    const live = state.fleets[state.live];
    const idle = state.fleets[state.idle];
    const target = state.target;
    /** The version the idle group will run; set by the create step when deploying an image. */
    let version = target.kind === 'version' ? target.version : '';
    const steps = [];
    const restoreIdle = {
        kind: 'restore-group',
        group: idle.group.name,
        min: idle.group.min,
        max: idle.group.max,
        desired: idle.group.desired,
        launchTemplate: idle.group.launchTemplate && {
            id: idle.group.launchTemplate.id,
            version: idle.group.launchTemplate.version,
        },
    };
    const reference = referenceIdleStep({
        routes: state.routes,
        colors: state.colors,
        live: state.live,
        idle: state.idle,
    });
    if (reference)
        steps.push(reference);
    if (target.kind === 'image') {
        steps.push(createVersionStep(target, { ...options, groupName: idle.group.name }, (created) => {
            version = String(created);
        }));
    }
    if (!options.keepIdleInstances && (idle.group.instances.length > 0 || idle.group.desired > 0)) {
        steps.push({
            id: 'empty-idle',
            title: `Empty ${state.idle} (${idle.group.name}) so that every instance that gets traffic runs the new version`,
            phase: 'deploy',
            writes: [
                write('autoscaling', 'UpdateAutoScalingGroup', idle.group.name, 'MinSize 0, DesiredCapacity 0'),
            ],
            undo: [restoreIdle],
            run: async (ctx) => {
                await ctx.aws.autoScaling.updateGroup(idle.group.name, { min: 0, desired: 0 });
                await waitForEmpty(ctx, {
                    what: `${state.idle} emptying`,
                    groupName: idle.group.name,
                    targetGroupArn: idle.targetGroupArn,
                    timeoutMs: config.healthTimeoutMs,
                });
                return `${idle.group.instances.length} old instance(s) removed`;
            },
        });
    }
    const kept = options.keepIdleInstances === true;
    const size = kept
        ? {
            min: Math.max(idle.group.min, live.group.min),
            max: Math.max(idle.group.max, live.group.max),
            desired: Math.max(idle.group.desired, live.group.desired),
        }
        : { min: live.group.min, max: live.group.max, desired: live.group.desired };
    const versionText = target.kind === 'version' ? target.version : '(created above)';
    const idleReady = kept &&
        idle.group.launchTemplate?.version === version &&
        size.min === idle.group.min &&
        size.max === idle.group.max &&
        size.desired === idle.group.desired;
    if (!idleReady)
        steps.push({
            id: 'prepare-idle',
            title: `Point ${state.idle} (${idle.group.name}) at launch template version ${versionText} and size it like ${state.live}`,
            phase: 'deploy',
            writes: [
                write('autoscaling', 'UpdateAutoScalingGroup', idle.group.name, `LaunchTemplate ${target.launchTemplateId}:${versionText}, MinSize ${size.min}, MaxSize ${size.max}, DesiredCapacity ${size.desired}`),
            ],
            undo: [restoreIdle],
            run: async (ctx) => {
                await ctx.aws.autoScaling.updateGroup(idle.group.name, {
                    ...size,
                    launchTemplate: { id: target.launchTemplateId, version },
                });
                return `version ${version}, ${size.min}/${size.desired}/${size.max}`;
            },
        });
    let healthyIds = [];
    steps.push({
        id: 'wait-healthy',
        title: `Wait until ${state.idle} has ${size.desired} healthy instance(s)`,
        phase: 'deploy',
        gate: 'health',
        writes: [],
        run: async (ctx) => {
            const started = ctx.clock.now();
            const reading = await waitForHealthy(ctx, {
                what: `${state.idle} health`,
                groupName: idle.group.name,
                targetGroupArn: idle.targetGroupArn,
                timeoutMs: config.healthTimeoutMs,
            });
            healthyIds = healthyInstances(reading);
            return `${healthyIds.length}/${reading.group.desired} healthy in ${formatDuration(ctx.clock.now() - started)}`;
        },
    });
    steps.push(...trafficSteps({
        from: state.live,
        to: state.idle,
        colors: state.colors,
        routes: state.routes,
        shift: config.trafficShift,
        bakeTimeMs: config.bakeTimeMs,
        gates: () => ({
            targetGroupArn: idle.targetGroupArn,
            targetIds: healthyIds,
            alarmNames: config.alarmNames,
        }),
        records: options.records ?? [],
    }));
    if (config.previousFleet === 'scale-down') {
        steps.push({
            id: 'scale-down-previous',
            title: `Scale ${state.live} (${live.group.name}) down to 0`,
            phase: 'cleanup',
            writes: [
                write('autoscaling', 'UpdateAutoScalingGroup', live.group.name, 'MinSize 0, DesiredCapacity 0'),
            ],
            run: async (ctx) => {
                await ctx.aws.autoScaling.updateGroup(live.group.name, { min: 0, desired: 0 });
                await waitForEmpty(ctx, {
                    what: `${state.live} scale-down`,
                    groupName: live.group.name,
                    targetGroupArn: live.targetGroupArn,
                    timeoutMs: config.healthTimeoutMs,
                });
                return `${live.group.instances.length} instance(s) drained and terminated`;
            },
        });
    }
    return { steps };
}
function write(service, action, target, detail) {
    return { service, action, target, detail };
}

;// CONCATENATED MODULE: ./src/strategies/blue-green-rollback.ts







const prepareBlueGreenRollback = async (config, options) => {
    const groups = [config.blue.autoScalingGroup ?? '', config.green.autoScalingGroup ?? ''];
    const record = options.record;
    if (!record) {
        throw new PreflightError([
            `no deployment record on ${groups.join(' or ')} (tags asg-deploy:*): there is no recorded version to roll back to. Nothing was changed. A record is written by every successful deploy of this action.`,
        ]);
    }
    const problems = [];
    const reading = await readBlueGreen(config, options.aws, problems);
    const choice = chooseTarget(record, reading.splits, problems);
    if (problems.length > 0 || !choice)
        throw new PreflightError(problems);
    const to = choice.to.color;
    const toGroup = reading.groups[to];
    const fromColor = other(to);
    if (toGroup.launchTemplate?.id !== choice.to.launchTemplateId) {
        problems.push(`${toGroup.name} (${to}) now uses launch template ${toGroup.launchTemplate?.id ?? 'none'}, but the record names ${choice.to.launchTemplateId}: the record no longer matches the group; deploy the version you want instead`);
    }
    if (reading.groups[fromColor].desired === 0 && toGroup.desired === 0) {
        problems.push(`neither ${groups.join(' nor ')} has capacity: there is no live size to restore ${to} to`);
    }
    if (problems.length > 0)
        throw new PreflightError(problems);
    const state = {
        live: fromColor,
        idle: to,
        fleets: fleetsOf(reading),
        colors: reading.colors,
        routes: reading.routes,
        splits: reading.splits,
        target: {
            kind: 'version',
            launchTemplateId: choice.to.launchTemplateId,
            version: choice.to.launchTemplateVersion,
            resolvedVersion: Number(choice.to.launchTemplateVersion),
        },
        unchanged: reading.splits.every((split) => split[to] === 100) && toGroup.desired > 0,
        alarms: reading.alarms,
    };
    const keptFleet = state.fleets[to];
    const keepIdleInstances = toGroup.desired > 0 &&
        toGroup.launchTemplate?.version === choice.to.launchTemplateVersion &&
        toGroup.instances.every((i) => i.launchTemplateVersion === choice.to.launchTemplateVersion) &&
        healthyInstances(keptFleet).length === toGroup.instances.length;
    options.log.info(`rolling back to ${describeEntry(choice.to)} on ${to} (${toGroup.name}); ${keepIdleInstances ? 'its kept instances are reused' : 'it is scaled up with that version first'}`);
    return {
        headline: state.unchanged
            ? `${describeEntry(choice.to)} already serves all traffic on ${to}`
            : `from ${choice.leaving} to ${describeEntry(choice.to)}`,
        plan: planBlueGreen(config, state, { ...options, keepIdleInstances }),
        before: blueGreenRowsBefore(state),
        unchanged: state.unchanged,
        outputs: (result) => rollbackOutputs(config, state, result, choice),
        readAfter: () => blueGreenRowsAfter(options.aws, state),
        record: {
            groups: [reading.groups.blue.name, reading.groups.green.name],
            serving: { group: toGroup.name, color: to, versionLabel: choice.to.versionLabel },
            ...(choice.previousAfter && { previous: choice.previousAfter }),
        },
    };
};
/**
 * All traffic on the recorded color: go back to the previous entry. Anything
 * else (both colors weighted, or all traffic on the other color) is a deploy
 * that never finished: return to the recorded color, the last good one.
 */
function chooseTarget(record, splits, problems) {
    const current = record.current;
    if (!current.color) {
        problems.push(`the deployment record names no color (${describeEntry(current)}): it was not written by a blue/green deploy`);
        return undefined;
    }
    const color = current.color;
    if (splits.length > 0 && splits.every((split) => split[color] === 100)) {
        const previous = record.previous;
        if (!previous) {
            problems.push(`the deployment record has no previous deployment before ${describeEntry(current)}: there is nothing to roll back to. Nothing was changed.`);
            return undefined;
        }
        if (!previous.color || previous.color === color) {
            problems.push(`the previous deployment ${describeEntry(previous)} did not run on the other color: a blue/green rollback needs it there`);
            return undefined;
        }
        return { to: previous, from: current, previousAfter: current, leaving: describeEntry(current) };
    }
    const shares = splits.map(describeSplit).join('; ') || 'no route read';
    return {
        to: current,
        ...(record.previous && { previousAfter: record.previous }),
        leaving: `an unfinished deploy (${shares})`,
    };
}
function rollbackOutputs(config, state, result, choice) {
    // A rollback that succeeds leaves the rollback target (`idle` here) serving, as a deploy does.
    const outputs = blueGreenOutputs(config, state, result === 'rolled-back' ? 'deployed' : result);
    return {
        ...outputs,
        result,
        'version-label': result === 'rolled-back' ? choice.to.versionLabel : (choice.from?.versionLabel ?? ''),
        'previous-version-label': result === 'rolled-back' ? (choice.from?.versionLabel ?? '') : '',
    };
}

;// CONCATENATED MODULE: ./src/strategies/health-check-rule.ts

const HEALTH_RULE_HEADER = 'X-Asg-Deploy-Health-Check';
const HIGHEST_PRIORITY = 50000;
function healthCheckRuleSteps(p) {
    const marker = { header: HEALTH_RULE_HEADER, value: p.runToken };
    const undo = { kind: 'delete-marked-rules', listenerArn: p.listenerArn, ...marker };
    const where = `listener ${shortArn(p.listenerArn)}`;
    return {
        add: {
            id: 'health-check-rules',
            title: `Keep ${p.targetGroupArns.length} target group(s) health-checked during maintenance (a rule no client matches)`,
            phase: 'deploy',
            writes: p.targetGroupArns.map((tg) => ({
                service: 'elbv2',
                action: 'CreateRule',
                target: p.listenerArn,
                detail: `forward to ${shortArn(tg)} when header ${HEALTH_RULE_HEADER} is this run's token`,
            })),
            undo: [undo],
            undoAlways: true,
            run: async (ctx) => {
                for (const tg of p.targetGroupArns)
                    await addRule(ctx, p.listenerArn, tg, marker);
                return `${p.targetGroupArns.length} rule(s) on ${where}`;
            },
        },
        remove: {
            id: 'remove-health-check-rules',
            title: `Delete the health-check rule(s) from ${where}`,
            phase: 'cleanup',
            writes: [
                { service: 'elbv2', action: 'DeleteRule', target: p.listenerArn, detail: 'the rules added above' },
            ],
            run: async (ctx) => {
                const ours = (await ctx.aws.elbv2.listenerRules(p.listenerArn)).filter((r) => hasMarker(r.conditions, marker));
                for (const rule of ours)
                    await ctx.aws.elbv2.deleteRule(rule.arn);
                return `${ours.length} rule(s) deleted`;
            },
        },
    };
}
async function addRule(ctx, listenerArn, targetGroupArn, marker) {
    const rules = await ctx.aws.elbv2.listenerRules(listenerArn);
    const forwardsHere = (actions) => actions.some((a) => a.TargetGroupArn === targetGroupArn);
    if (rules.some((r) => hasMarker(r.conditions, marker) && forwardsHere(r.actions)))
        return;
    const used = new Set(rules.map((r) => r.priority));
    let priority = HIGHEST_PRIORITY;
    while (used.has(priority))
        priority--;
    const rule = {
        listenerArn,
        priority,
        conditions: [
            { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: marker.header, Values: [marker.value] } },
        ],
        actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    };
    try {
        await ctx.aws.elbv2.createRule(rule);
    }
    catch (error) {
        // A retried CreateRule whose first answer was lost finds its own rule at that priority.
        const again = await ctx.aws.elbv2.listenerRules(listenerArn);
        if (!again.some((r) => r.priority === priority && hasMarker(r.conditions, marker)))
            throw error;
    }
}

;// CONCATENATED MODULE: ./src/strategies/refresh-step.ts
/** The plan step that runs one Instance Refresh to its end (rolling and recreate). */


/**
 * Starts the refresh and waits with one progress line per poll. Ends when AWS
 * does; a refresh AWS starts rolling back by itself (auto rollback after a
 * failure or an alarm) fails the step at once: the undo waits for the rollback.
 */
function refreshStep(spec) {
    return {
        id: spec.id,
        title: spec.title,
        phase: 'deploy',
        // AWS replaces an instance only once its successor passed the group's health checks.
        gate: 'health (Instance Refresh)',
        writes: [
            {
                service: 'autoscaling',
                action: 'StartInstanceRefresh',
                target: spec.group,
                detail: preferencesText(spec.preferences),
            },
        ],
        undo: [spec.undo],
        run: (ctx) => runRefresh(ctx, spec),
    };
}
async function runRefresh(ctx, spec) {
    const desired = spec.desired();
    const id = await startOrAdopt(ctx, spec, desired);
    spec.undo.refreshId = id;
    ctx.saveJournal?.();
    spec.seen({ id, status: 'Pending' });
    ctx.log.info(`instance refresh ${id} started on ${spec.group} towards launch template version ${desired.version}`);
    const ended = await waitForRefresh(ctx, {
        group: spec.group,
        id,
        what: `instance refresh ${id}`,
        timeoutMs: spec.timeoutMs,
        done: (r) => {
            spec.seen(r);
            return TERMINAL_REFRESH.has(r.status) || r.status === 'RollbackInProgress';
        },
    });
    if (ended.status === 'Successful')
        return `instance refresh ${id}: ${describeRefresh(ended)}`;
    const reason = ended.rollbackReason ?? ended.statusReason ?? 'no reason given';
    if (ended.status === 'RollbackInProgress')
        throw new Error(`instance refresh ${id} failed and AWS is rolling it back: ${reason}`);
    throw new Error(`instance refresh ${id} ended ${ended.status}: ${reason}`);
}
/**
 * Starts the refresh. When the SDK's retry of a start whose response was lost is
 * refused as "in progress", the refresh in progress is this run's own (pre-flight
 * saw none): adopt it rather than fail.
 */
async function startOrAdopt(ctx, spec, desired) {
    try {
        return await ctx.aws.autoScaling.startInstanceRefresh({
            group: spec.group,
            desired,
            preferences: spec.preferences,
        });
    }
    catch (error) {
        if (!isRefreshInProgressError(error))
            throw error;
        const ours = await refreshOfThisRun(ctx, spec.undo);
        if (!ours)
            throw error;
        ctx.log.warning(`StartInstanceRefresh was retried after its answer was lost; continuing with refresh ${ours.id}, which this run started`);
        return ours.id;
    }
}
function preferencesText(p) {
    const parts = [
        `MinHealthyPercentage ${p.MinHealthyPercentage}`,
        `MaxHealthyPercentage ${p.MaxHealthyPercentage}`,
    ];
    if (p.InstanceWarmup !== undefined)
        parts.push(`InstanceWarmup ${p.InstanceWarmup}`);
    if (p.CheckpointPercentages?.length)
        parts.push(`Checkpoints ${p.CheckpointPercentages.join(',')} every ${p.CheckpointDelay ?? 3600} s`);
    parts.push(`SkipMatching ${p.SkipMatching}`, `AutoRollback ${p.AutoRollback}`);
    if (p.AlarmSpecification?.Alarms?.length)
        parts.push(`Alarms ${p.AlarmSpecification.Alarms.join(', ')}`);
    if (p.BakeTime)
        parts.push(`BakeTime ${p.BakeTime}`);
    return parts.join(', ');
}

;// CONCATENATED MODULE: ./src/strategies/single-group.ts
/** Pre-flight, rows and outputs shared by the strategies that deploy one group in place (rolling, recreate). */







const isAlias = (version) => version === '$Latest' || version === '$Default';
/** Reads the group (and listeners) and refuses what Instance Refresh would refuse or could not undo. Read-only. */
async function observeSingleGroup(config, aws, log) {
    const problems = [];
    const name = config.autoScalingGroup ?? '';
    const [group, routes] = await Promise.all([
        aws.autoScaling.describeGroup(name),
        aws.elbv2.describeRoutes(config.listenerArns, []).catch((error) => {
            problems.push(`listener-arns: ${error.message}`);
            return [];
        }),
    ]);
    if (!group)
        throw new PreflightError([
            `auto-scaling-group: no Auto Scaling group named "${name}" in ${config.region}`,
        ]);
    const lt = group.launchTemplate;
    if (!lt) {
        problems.push(`auto-scaling-group: ${group.name} uses a ${group.launchSource.replace(/-/g, ' ')}; ${config.strategy} needs a group with a launch template`);
        throw new PreflightError(problems);
    }
    for (const route of routes) {
        if (route.protocol && !['HTTP', 'HTTPS'].includes(route.protocol)) {
            problems.push(`listener-arns: listener ${shortArn(route.arn)} is a ${route.protocol} listener; a fixed maintenance response needs an Application Load Balancer listener`);
        }
    }
    // Alarms must exist (rolling hands them to AWS as AlarmSpecification; recreate watches them while baking).
    await checkAlarms(aws, config.alarmNames, problems);
    const refreshes = await aws.autoScaling.instanceRefreshes(group.name);
    const refresh = refreshes.find((r) => isActiveRefresh(r.status));
    if (refresh) {
        problems.push(`auto-scaling-group: instance refresh ${refresh.id} is ${refresh.status} on ${group.name}; wait for it to end (or cancel it) before deploying`);
    }
    if (config.autoRollback && isAlias(lt.version)) {
        problems.push(`auto-scaling-group: ${group.name} uses launch template version ${lt.version}; Instance Refresh cannot roll back a group on $Latest or $Default: set a version number on the group, or auto-rollback: false`);
    }
    if (group.instances.length === 0 || group.desired === 0) {
        problems.push(`auto-scaling-group: ${group.name} has no instances (desired ${group.desired}): there is nothing to replace; update its launch template and capacity instead`);
    }
    const target = await resolveDeployTarget(config, aws, { template: lt, source: lt, groupName: group.name }, problems);
    if (problems.length > 0 || !target)
        throw new PreflightError(problems);
    if (group.healthCheckType === 'EC2' && group.targetGroupArns.length > 0) {
        log.warning(`${group.name} uses the EC2 health check type while attached to ${group.targetGroupArns.length} target group(s): Instance Refresh will not see load balancer health, so a replacement failing its target group health checks will not stop it. Set the group's health check type to ELB.`);
    }
    const health = (await readGroupHealth(aws, group.name, group.targetGroupArns)).summary;
    const unchanged = target.kind === 'version'
        ? lt.version === target.version &&
            group.instances.every((i) => i.launchTemplateVersion === undefined || i.launchTemplateVersion === lt.version)
        : target.sourceImageId === target.imageId;
    return {
        group,
        launchTemplate: lt,
        target,
        routes,
        health,
        unchanged,
        refreshesBefore: refreshes.map((r) => r.id),
    };
}
function singleGroupRow(group, health) {
    return {
        name: 'fleet',
        group: group.name,
        targetGroupArn: group.targetGroupArns[0] ?? '',
        launchTemplateVersion: group.launchTemplate?.version ?? '-',
        capacity: `${group.min}/${group.desired}/${group.max}`,
        health,
        live: true,
    };
}
async function singleGroupRowAfter(aws, state) {
    const reading = await readGroupHealth(aws, state.group.name, state.group.targetGroupArns);
    return [singleGroupRow(reading.group, reading.summary)];
}
function singleGroupOutputs(config, state, result, refreshId) {
    return {
        result,
        'active-auto-scaling-group': state.group.name,
        'active-target-group-arn': state.group.targetGroupArns[0] ?? '',
        'previous-auto-scaling-group': state.group.name,
        'version-label': result === 'deployed' ? (config.versionLabel ?? '') : '',
        'previous-version-label': '',
        'launch-template-version': state.launchTemplate.version,
        'instance-refresh-id': refreshId ?? '',
        'rollback-reason': '',
    };
}
/** `launch template version 7` or `image ami-…`. */
function describeWhat(config) {
    return config.launchTemplateVersion
        ? `launch template version ${config.launchTemplateVersion}`
        : `image ${config.imageId ?? ''}`;
}
/**
 * The deployment record of an in-place deploy: one group; the previous entry
 * is the recorded current one, or the group as found when it has no record yet.
 */
function singleGroupRecord(config, state, options) {
    const { group, launchTemplate: lt } = state;
    const recorded = options.record?.current;
    return {
        groups: [group.name],
        serving: { group: group.name, versionLabel: config.versionLabel ?? '' },
        previous: recorded && recorded.group === group.name
            ? recorded
            : {
                versionLabel: '',
                launchTemplateId: lt.id,
                launchTemplateVersion: lt.version,
                group: group.name,
                time: new Date(options.now).toISOString(),
                runUrl: '',
            },
    };
}
/**
 * What rolling and recreate hand the pipeline: the same rows, outputs, record
 * and "what AWS did" line, around their own steps.
 */
function singleGroupPrepared(config, state, options, p) {
    const { group } = state;
    const what = describeWhat(config);
    return {
        headline: state.unchanged
            ? `${group.name} already runs ${what}`
            : `${config.versionLabel ? `${config.versionLabel}, ` : ''}${what}, ${p.verb} ${group.name}`,
        plan: { steps: p.steps },
        before: [singleGroupRow(group, state.health)],
        unchanged: state.unchanged,
        outputs: (result) => singleGroupOutputs(config, state, result, p.lastRefresh()?.id),
        readAfter: () => singleGroupRowAfter(options.aws, state),
        record: singleGroupRecord(config, state, options),
        details: () => {
            const last = p.lastRefresh();
            return last ? [`Instance refresh ${last.id}: ${describeRefresh(last)}`] : [];
        },
    };
}

;// CONCATENATED MODULE: ./src/strategies/recreate.ts








const prepareRecreate = async (config, options) => {
    const state = await observeSingleGroup(config, options.aws, options.log);
    const { group, target } = state;
    let version = target.kind === 'version'
        ? config.autoRollback && target.version === '$Default'
            ? String(target.resolvedVersion)
            : target.version
        : '';
    let last;
    const steps = [];
    if (target.kind === 'image') {
        steps.push(createVersionStep(target, { ...options, groupName: group.name }, (created) => (version = String(created))));
    }
    const restoreRoutes = state.routes.map((r) => ({
        kind: 'restore-route',
        route: { kind: r.kind, arn: r.arn },
        actions: r.actions,
    }));
    const firstListener = state.routes[0];
    const healthRules = firstListener && group.targetGroupArns.length > 0
        ? healthCheckRuleSteps({
            listenerArn: firstListener.arn,
            targetGroupArns: group.targetGroupArns,
            runToken: options.runToken,
        })
        : undefined;
    if (healthRules)
        steps.push(healthRules.add);
    if (state.routes.length > 0)
        steps.push(maintenanceStep(config, state, restoreRoutes));
    steps.push(replaceStep(config, state, () => version, (r) => (last = r)));
    if (state.routes.length > 0)
        steps.push(restoreStep(config, state, restoreRoutes));
    if (config.bakeTimeMs > 0)
        steps.push(bakeStep(config, state));
    if (healthRules)
        steps.push(healthRules.remove);
    return singleGroupPrepared(config, state, options, {
        verb: 'recreating',
        steps,
        lastRefresh: () => last,
    });
};
function maintenanceAction(config) {
    const { statusCode, body } = config.maintenanceResponse;
    return {
        Type: 'fixed-response',
        FixedResponseConfig: {
            StatusCode: String(statusCode),
            ContentType: 'text/plain',
            MessageBody: body ?? 'Down for maintenance: a new version is being deployed. Please retry shortly.',
        },
    };
}
function maintenanceStep(config, state, restoreRoutes) {
    const action = maintenanceAction(config);
    return {
        id: 'maintenance-on',
        title: `Serve ${config.maintenanceResponse.statusCode} on ${state.routes.length} listener(s) while ${state.group.name} is replaced`,
        phase: 'deploy',
        writes: state.routes.map((r) => ({
            service: 'elbv2',
            action: 'ModifyListener',
            target: r.arn,
            detail: `fixed-response ${config.maintenanceResponse.statusCode}`,
        })),
        undo: restoreRoutes,
        // the 503 never outlives the run, with or without auto-rollback
        undoAlways: true,
        run: async (ctx) => {
            for (const route of state.routes)
                await ctx.aws.elbv2.writeRoute(route, [action]);
            const after = await ctx.aws.elbv2.describeRoutes(state.routes.map((r) => r.arn), []);
            for (const route of after) {
                const [only] = route.actions;
                if (route.actions.length !== 1 || only?.Type !== 'fixed-response')
                    throw new Error(`listener ${shortArn(route.arn)} does not read back the maintenance response`);
            }
            return `${state.routes.length} listener(s) answer ${config.maintenanceResponse.statusCode}`;
        },
    };
}
function replaceStep(config, state, version, seen) {
    const { group, launchTemplate: lt, target } = state;
    const awaitHealthy = {
        kind: 'await-group-healthy',
        group: group.name,
        targetGroupArns: group.targetGroupArns,
        waitMs: config.healthTimeoutMs,
    };
    const base = refreshStep({
        id: 'replace-all',
        title: `Replace all ${group.instances.length} instance(s) of ${group.name} at once`,
        group: group.name,
        desired: () => ({ id: target.launchTemplateId, version: version() }),
        preferences: {
            MinHealthyPercentage: 0,
            MaxHealthyPercentage: 100,
            SkipMatching: false,
            AutoRollback: config.autoRollback,
            InstanceWarmup: 0,
            ScaleInProtectedInstances: 'Ignore',
            StandbyInstances: 'Ignore',
        },
        undo: {
            kind: 'roll-back-instance-refresh',
            group: group.name,
            before: state.refreshesBefore,
            previous: { id: lt.id, version: lt.version },
            minHealthyPercent: 0,
            waitMs: config.timeoutMs,
        },
        timeoutMs: config.timeoutMs,
        seen,
    });
    const undo = [...(base.undo ?? []), awaitHealthy];
    return {
        ...base,
        undo,
        gate: 'health (Instance Refresh, then the load balancer)',
        run: async (ctx) => {
            const detail = await base.run(ctx);
            // The health-check rules keep the target groups in use while the listeners
            // answer the maintenance response: this is real load balancer health.
            const health = await waitGroupHealthy(ctx, {
                what: `${group.name} health`,
                group: group.name,
                targetGroupArns: group.targetGroupArns,
                timeoutMs: config.healthTimeoutMs,
            });
            return `${detail ?? ''}; ${health.summary}`;
        },
    };
}
function restoreStep(config, state, restoreRoutes) {
    return {
        id: 'maintenance-off',
        title: `Restore the original actions of ${state.routes.length} listener(s)`,
        phase: 'deploy',
        writes: state.routes.map((r) => ({
            service: 'elbv2',
            action: 'ModifyListener',
            target: r.arn,
            detail: 'the actions read before the deploy',
        })),
        undo: restoreRoutes,
        run: async (ctx) => {
            for (const undo of restoreRoutes)
                await applyUndo(ctx.aws, undo, ctx.log, ctx);
            const health = await waitGroupHealthy(ctx, {
                what: `${state.group.name} health behind the listeners`,
                group: state.group.name,
                targetGroupArns: state.group.targetGroupArns,
                timeoutMs: config.healthTimeoutMs,
            });
            return `listeners restored and verified; ${health.summary}`;
        },
    };
}
/**
 * Watches the recreated fleet with the same gates as a blue/green bake: every
 * instance that was healthy when the bake began stays healthy in the group's
 * target group, and no alarm of alarm-names goes to ALARM.
 */
function bakeStep(config, state) {
    return {
        id: 'bake',
        title: `Bake ${state.group.name} for ${formatDuration(config.bakeTimeMs)}`,
        phase: 'deploy',
        gate: 'health',
        writes: [],
        run: async (ctx) => {
            const start = await readGroupHealth(ctx.aws, state.group.name, state.group.targetGroupArns);
            const spec = {
                targetGroupArn: state.group.targetGroupArns[0],
                targetIds: start.group.instances.filter((i) => i.lifecycle === 'InService').map((i) => i.id),
                alarmNames: config.alarmNames,
            };
            const last = await watchGates(ctx, {
                label: `bake ${state.group.name}`,
                durationMs: config.bakeTimeMs,
                spec,
            });
            return `held for ${formatDuration(config.bakeTimeMs)}: ${describeGates(last, spec)}`;
        },
    };
}

;// CONCATENATED MODULE: ./src/strategies/rolling.ts



const prepareRolling = async (config, options) => {
    const state = await observeSingleGroup(config, options.aws, options.log);
    const { group, launchTemplate: lt, target } = state;
    let version = target.kind === 'version' ? target.version : '';
    let last;
    const steps = [];
    if (target.kind === 'image') {
        steps.push(createVersionStep(target, { ...options, groupName: group.name }, (created) => (version = String(created))));
    }
    steps.push(refreshStep({
        id: 'instance-refresh',
        title: `Instance Refresh of ${group.name} (${group.instances.length} instance(s)) to ${target.kind === 'version' ? `version ${target.version}` : 'the new version'}`,
        group: group.name,
        desired: () => ({ id: target.launchTemplateId, version }),
        preferences: rollingPreferences(config),
        undo: {
            kind: 'roll-back-instance-refresh',
            group: group.name,
            before: state.refreshesBefore,
            previous: { id: lt.id, version: lt.version },
            minHealthyPercent: config.minHealthyPercent,
            waitMs: config.timeoutMs,
        },
        timeoutMs: config.timeoutMs,
        seen: (r) => (last = r),
    }));
    return singleGroupPrepared(config, state, options, {
        verb: 'rolling over',
        steps,
        lastRefresh: () => last,
    });
};
function rollingPreferences(config) {
    return {
        MinHealthyPercentage: config.minHealthyPercent,
        MaxHealthyPercentage: config.maxHealthyPercent,
        ...(config.instanceWarmupSeconds !== undefined && { InstanceWarmup: config.instanceWarmupSeconds }),
        ...(config.checkpoints.length > 0 && {
            CheckpointPercentages: config.checkpoints,
            CheckpointDelay: Math.round((config.checkpointDelayMs ?? 3_600_000) / 1000),
        }),
        SkipMatching: true,
        AutoRollback: config.autoRollback,
        ...(config.alarmNames.length > 0 && { AlarmSpecification: { Alarms: config.alarmNames } }),
        ...(config.bakeTimeMs > 0 && { BakeTime: Math.round(config.bakeTimeMs / 1000) }),
        ScaleInProtectedInstances: 'Ignore',
        StandbyInstances: 'Ignore',
    };
}

;// CONCATENATED MODULE: ./src/strategies/single-group-rollback.ts
/**
 * mode: rollback for rolling and recreate. An Instance Refresh still running
 * (an interrupted deploy) is rolled back by AWS; otherwise the group goes back
 * to the launch template version the deployment record names as previous, with
 * the same strategy as a deploy (so recreate serves its maintenance response).
 */






function singleGroupRollback(deploy) {
    return async (config, options) => {
        const name = config.autoScalingGroup ?? '';
        const active = (await options.aws.autoScaling.instanceRefreshes(name)).find((r) => isActiveRefresh(r.status));
        if (active)
            return rollBackRunningRefresh(config, options, active);
        const record = options.record;
        if (!record) {
            throw new PreflightError([
                `no deployment record on ${name} (tags asg-deploy:*) and no instance refresh in progress: there is no recorded version to roll back to. Nothing was changed. A record is written by every successful deploy of this action.`,
            ]);
        }
        const to = record.previous;
        if (!to) {
            throw new PreflightError([
                `the deployment record of ${name} has no previous deployment before ${describeEntry(record.current)}: there is nothing to roll back to. Nothing was changed.`,
            ]);
        }
        const group = await options.aws.autoScaling.describeGroup(name);
        if (group?.launchTemplate && group.launchTemplate.id !== to.launchTemplateId) {
            throw new PreflightError([
                `${name} now uses launch template ${group.launchTemplate.id}, but the record names ${to.launchTemplateId} for ${describeEntry(to)}: the record no longer matches the group; deploy the version you want instead`,
            ]);
        }
        options.log.info(`rolling ${name} back from ${describeEntry(record.current)} to ${describeEntry(to)}`);
        const { imageId: _image, ...rest } = config;
        const prepared = await deploy({
            ...rest,
            mode: 'deploy',
            launchTemplateVersion: to.launchTemplateVersion,
            versionLabel: to.versionLabel,
        }, options);
        return {
            ...prepared,
            headline: prepared.unchanged
                ? `${name} already runs ${describeEntry(to)}`
                : `from ${describeEntry(record.current)} to ${describeEntry(to)}`,
        };
    };
}
/** An interrupted deploy left a refresh running: AWS's own rollback returns the group to what it was. */
async function rollBackRunningRefresh(config, options, active) {
    const name = config.autoScalingGroup ?? '';
    if (active.status === 'Cancelling') {
        throw new PreflightError([
            `instance refresh ${active.id} on ${name} is being cancelled; run the rollback again once it has ended`,
        ]);
    }
    const health = await readGroupHealth(options.aws, name, []);
    const step = {
        id: 'roll-back-refresh',
        title: `Roll back instance refresh ${active.id} of ${name}`,
        phase: 'deploy',
        writes: active.status === 'RollbackInProgress'
            ? []
            : [
                {
                    service: 'autoscaling',
                    action: 'RollbackInstanceRefresh',
                    target: name,
                    detail: `refresh ${active.id}`,
                },
            ],
        run: async (ctx) => {
            if (active.status !== 'RollbackInProgress')
                await ctx.aws.autoScaling.rollbackInstanceRefresh(name);
            const ended = await waitForRefresh(ctx, {
                group: name,
                id: active.id,
                what: `rollback of instance refresh ${active.id}`,
                timeoutMs: config.timeoutMs,
                done: (r) => TERMINAL_REFRESH.has(r.status),
            });
            if (ended.status !== 'RollbackSuccessful') {
                throw new Error(`AWS could not roll back instance refresh ${active.id}: ${describeRefresh(ended)}`);
            }
            return `AWS rolled back instance refresh ${active.id}`;
        },
    };
    const outputs = (result) => ({
        result,
        'active-auto-scaling-group': name,
        'previous-auto-scaling-group': name,
        'launch-template-version': health.group.launchTemplate?.version ?? '',
        'instance-refresh-id': active.id,
        'rollback-reason': '',
    });
    return {
        headline: `instance refresh ${active.id} (${describeRefresh(active)}) rolled back by AWS`,
        plan: { steps: [step] },
        before: [singleGroupRow(health.group, health.summary)],
        unchanged: false,
        outputs,
        readAfter: async () => {
            const after = await readGroupHealth(options.aws, name, health.group.targetGroupArns);
            return [singleGroupRow(after.group, after.summary)];
        },
    };
}

;// CONCATENATED MODULE: ./src/strategies/target-groups-preflight.ts




const target_groups_preflight_other = (color) => (color === 'blue' ? 'green' : 'blue');
/**
 * Reads the routes, both target groups and the alarms, and refuses what is
 * unsafe: routes forwarding elsewhere, no single live color, an idle group with
 * no targets. Read-only.
 */
async function observeTargetGroups(config, aws) {
    const problems = [];
    const colors = { blue: config.blue.targetGroupArn ?? '', green: config.green.targetGroupArn ?? '' };
    const health = async (color) => aws.elbv2.targetHealth(colors[color]).catch((error) => {
        problems.push(`${color}-target-group-arn: ${shortArn(colors[color])}: ${error.message}`);
        return undefined;
    });
    const [routes, blue, green, alarms] = await Promise.all([
        aws.elbv2.describeRoutes(config.listenerArns, config.listenerRuleArns).catch((error) => {
            problems.push(`listener-arns / listener-rule-arns: ${error.message}`);
            return [];
        }),
        health('blue'),
        health('green'),
        checkAlarms(aws, config.alarmNames, problems),
    ]);
    const splits = routes.map((route) => checkRoute(route, colors, problems));
    const live = liveColor(routes, splits, problems);
    if (problems.length > 0 || !live || !blue || !green)
        throw new PreflightError(problems);
    const idle = target_groups_preflight_other(live);
    const idleHealth = idle === 'blue' ? blue : green;
    if (idleHealth.size === 0) {
        problems.push(`${idle}-target-group-arn: ${shortArn(colors[idle])} (${idle}, idle) has no registered targets: register the new fleet in it before moving traffic to it`);
        throw new PreflightError(problems);
    }
    return { live, idle, colors, routes, splits, health: { blue, green }, alarms };
}

;// CONCATENATED MODULE: ./src/strategies/target-groups.ts







const prepareTargetGroups = async (config, options) => {
    const state = await observeTargetGroups(config, options.aws);
    const name = (color) => `${color} (${shortArn(state.colors[color])})`;
    options.log.info(`live: ${name(state.live)}; moving traffic to ${name(state.idle)}; no capacity is changed`);
    if (config.alarmNames.length > 0)
        options.log.info(`alarms: ${summarizeAlarms(state.alarms.values())}`);
    const records = [];
    return {
        headline: `${config.versionLabel ? `${config.versionLabel}, ` : ''}traffic from ${name(state.live)} to ${name(state.idle)}`,
        plan: planTargetGroups(config, state, records),
        before: ['blue', 'green'].map((color) => target_groups_row(state, color, state.health[color], Math.min(...state.splits.map((s) => s[color])))),
        unchanged: false,
        outputs: (result) => outputs(config, state, result),
        readAfter: () => rowsAfter(options.aws, state),
        traffic: (journal) => withRollback(records, journal, state.live),
    };
};
/** Reference the idle group if needed, wait until every one of its targets is healthy, then move traffic. */
function planTargetGroups(config, state, records) {
    const idleArn = state.colors[state.idle];
    const steps = [];
    const reference = referenceIdleStep(state);
    if (reference)
        steps.push(reference);
    let healthyIds = [];
    steps.push({
        id: 'wait-healthy',
        title: `Wait until every target of ${state.idle} (${shortArn(idleArn)}) is healthy`,
        phase: 'deploy',
        gate: 'health',
        writes: [],
        run: async (ctx) => {
            const started = ctx.clock.now();
            const health = await wait_waitFor(ctx, {
                what: `${state.idle} health`,
                timeoutMs: config.healthTimeoutMs,
                read: () => ctx.aws.elbv2.targetHealth(idleArn),
                describe: describeTargets,
                done: (h) => h.size > 0 && [...h.values()].every((t) => t.state === 'healthy'),
            });
            healthyIds = [...health.keys()];
            return `${healthyIds.length}/${health.size} healthy in ${formatDuration(ctx.clock.now() - started)}`;
        },
    });
    steps.push(...trafficSteps({
        from: state.live,
        to: state.idle,
        colors: state.colors,
        routes: state.routes,
        shift: config.trafficShift,
        bakeTimeMs: config.bakeTimeMs,
        gates: () => ({ targetGroupArn: idleArn, targetIds: healthyIds, alarmNames: config.alarmNames }),
        records,
    }));
    return { steps };
}
/** `3/4 healthy (1 initial)` over the registered targets. */
function describeTargets(health) {
    const counts = new Map();
    for (const t of health.values())
        counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
    const healthy = counts.get('healthy') ?? 0;
    counts.delete('healthy');
    const rest = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
    return `${healthy}/${health.size} healthy${rest ? ` (${rest})` : ''}`;
}
function outputs(config, state, result) {
    const active = result === 'deployed' ? state.idle : state.live;
    return {
        result,
        'active-color': active,
        'active-auto-scaling-group': '',
        'active-target-group-arn': state.colors[active],
        'previous-color': state.live,
        'previous-auto-scaling-group': '',
        'version-label': result === 'deployed' ? (config.versionLabel ?? '') : '',
        'previous-version-label': '',
        'launch-template-version': '',
        'rollback-reason': '',
    };
}
function target_groups_row(state, color, health, traffic) {
    return {
        name: color,
        group: '-',
        targetGroupArn: state.colors[color],
        launchTemplateVersion: '-',
        capacity: '-',
        health: describeTargets(health),
        traffic,
        live: traffic > 0,
    };
}
async function rowsAfter(aws, state) {
    const listeners = state.routes.filter((r) => r.kind === 'listener').map((r) => r.arn);
    const rules = state.routes.filter((r) => r.kind === 'rule').map((r) => r.arn);
    const [routes, blue, green] = await Promise.all([
        aws.elbv2.describeRoutes(listeners, rules),
        aws.elbv2.targetHealth(state.colors.blue),
        aws.elbv2.targetHealth(state.colors.green),
    ]);
    const splits = routes.map((r) => readRoute(r.actions, state.colors).split);
    return [
        target_groups_row(state, 'blue', blue, Math.min(...splits.map((s) => s.blue))),
        target_groups_row(state, 'green', green, Math.min(...splits.map((s) => s.green))),
    ];
}

;// CONCATENATED MODULE: ./src/strategies/index.ts






const rollingRollback = singleGroupRollback(prepareRolling);
const recreateRollback = singleGroupRollback(prepareRecreate);

/**
 * The strategy that prepares a run for this config: one line per strategy and
 * mode. Plan mode prepares exactly what deploy would (and the pipeline runs none of it).
 */
function strategyFor(config) {
    const rollback = config.mode === 'rollback';
    switch (config.strategy) {
        case 'blue-green':
            if (rollback)
                return prepareBlueGreenRollback;
            return config.blue.autoScalingGroup || config.green.autoScalingGroup
                ? prepareBlueGreen
                : prepareTargetGroups;
        case 'rolling':
            return rollback ? rollingRollback : prepareRolling;
        case 'recreate':
            return rollback ? recreateRollback : prepareRecreate;
        default:
            throw new Error(`strategy ${config.strategy} is not available in this version`);
    }
}
/** The Auto Scaling groups a run may change: they carry the lock and the deployment record. */
function groupsOf(config) {
    const names = config.strategy === 'blue-green'
        ? [config.blue.autoScalingGroup, config.green.autoScalingGroup]
        : [config.autoScalingGroup];
    return names.filter((name) => name !== undefined && name !== '');
}

;// CONCATENATED MODULE: ./src/deployment.ts








/**
 * A run from pre-flight to report, whatever the strategy and mode: check the
 * lock and read the record (read only), prepare (read only), then — unless
 * planning — take the lock, run the plan with rollback (the record written
 * once the release holds all traffic), release the lock, and read the fleets
 * again. Talks to AWS only through `deps.aws`; never throws for an AWS failure.
 */
async function runDeployment(config, deps) {
    const startedAt = deps.clock.now();
    const run = deps.run ?? { runId: 'local', attempt: 1, runUrl: deps.runLabel ?? 'local run' };
    const save = deps.saveState ?? (() => { });
    save(STATE.context, JSON.stringify({
        region: config.region,
        pollIntervalMs: config.pollIntervalMs,
        autoRollback: config.autoRollback,
    }));
    const base = {
        strategy: config.strategy,
        mode: config.mode,
        startedAt,
        headline: '',
        problems: [],
        rollbackIncomplete: false,
        warnings: [],
        before: [],
        after: [],
        steps: [],
        plannedWrites: [],
    };
    const finish = (fields) => {
        const endedAt = deps.clock.now();
        const outputs = {
            ...fields.outputs,
            'duration-seconds': String(Math.round((endedAt - startedAt) / 1000)),
        };
        return { ...base, ...fields, writesSent: [...(deps.writesSent ?? [])], endedAt, outputs };
    };
    const refuse = (problems) => {
        for (const problem of problems)
            deps.log.warning(`pre-flight: ${problem}`);
        return finish({
            result: 'failed',
            reason: `pre-flight: ${problems[0] ?? 'failed'}`,
            problems,
            outputs: { result: 'failed' },
        });
    };
    const groups = groupsOf(config);
    const lock = newLock(run, `${run.runId}.${run.attempt}.${(0,external_node_crypto_.randomUUID)().slice(0, 8)}`, startedAt + config.timeoutMs + LOCK_GRACE_MS);
    let prepared;
    let record;
    try {
        prepared = await deps.log.group('Pre-flight checks', async () => {
            // The lock first: a run in progress elsewhere explains what pre-flight would find half-done.
            const tags = await deps.aws.autoScaling.readTags(groups, TAG_PREFIX);
            checkLocks(tags, groups, lock, deps.clock.now(), deps.log);
            record = newestRecord(tags);
            return strategyFor(config)(config, {
                aws: deps.aws,
                log: deps.log,
                runToken: (0,external_node_crypto_.randomUUID)(),
                runLabel: deps.runLabel ?? run.runUrl,
                now: deps.clock.now(),
                ...(record && { record }),
            });
        });
    }
    catch (error) {
        return refuse(error instanceof PreflightError ? error.problems : [error.message]);
    }
    const steps = prepared.record
        ? withStepBeforeCleanup(prepared.plan.steps, recordStep(prepared.record, run.runUrl))
        : prepared.plan.steps;
    const lockWrites = lockPlannedWrites(groups, lock.expiresAt);
    const plannedWrites = [...lockWrites.take, ...steps.flatMap((s) => s.writes), ...lockWrites.release];
    const known = { headline: prepared.headline, before: prepared.before, plannedWrites };
    // Without a record (target groups only, or a first run) the strategy's own outputs stand.
    const fromRecord = record ? recordOutputs(record) : {};
    if (prepared.unchanged) {
        deps.log.info(`${prepared.headline}: nothing to do`);
        return finish({
            ...known,
            plannedWrites: [],
            result: 'unchanged',
            after: prepared.before,
            outputs: { ...prepared.outputs('unchanged'), ...fromRecord },
        });
    }
    if (config.mode === 'plan') {
        await deps.log.group(`Plan: ${plannedWrites.length} write(s) a deploy would make, in order`, async () => {
            plannedWrites.forEach((w, i) => deps.log.info(`${i + 1}. ${w.service} ${w.action} ${w.target}: ${w.detail}`));
        });
        return finish({ ...known, result: 'planned', outputs: prepared.outputs('planned') });
    }
    const ctx = {
        aws: deps.aws,
        clock: deps.clock,
        signal: deps.signal,
        log: deps.log,
        pollIntervalMs: config.pollIntervalMs,
        deadline: startedAt + config.timeoutMs,
    };
    const journal = new Journal((entries) => {
        deps.persistJournal?.(entries);
        save(STATE.journal, JSON.stringify(entries));
    });
    let outcome;
    try {
        try {
            await deps.log.group('Take the deployment lock', () => acquireLock(deps, groups, lock, () => save(STATE.lock, JSON.stringify({ token: lock.token, groups }))));
        }
        catch (error) {
            const message = error.message;
            const reason = error instanceof LockHeldError ? message : `could not take the lock: ${message}`;
            deps.log.warning(reason);
            save(STATE.finished, 'true');
            return finish({
                ...known,
                result: 'failed',
                reason,
                problems: [reason],
                outputs: { result: 'failed' },
            });
        }
        outcome = await runPlan({ steps }, ctx, { autoRollback: config.autoRollback, journal });
        save(STATE.finished, 'true');
    }
    finally {
        await deps.log
            .group('Release the deployment lock', async () => {
            const released = await releaseLock(deps.aws, groups, lock.token);
            deps.log.info(released.length > 0 ? `released on ${released.join(', ')}` : 'no lock of this run left');
        })
            .catch((error) => deps.log.warning(`could not release the lock (${error.message}); the post step tries again`));
    }
    const rollbackMode = config.mode === 'rollback';
    const result = outcome.status === 'succeeded'
        ? rollbackMode
            ? 'rolled-back'
            : 'deployed'
        : outcome.status === 'rolled-back' && !rollbackMode
            ? 'rolled-back'
            : 'failed';
    const after = await deps.log
        .group('Final state', () => prepared.readAfter())
        .catch((error) => {
        deps.log.warning(`could not read the final state: ${error.message}`);
        return [];
    });
    const succeeded = outcome.status === 'succeeded';
    const outputs = {
        ...prepared.outputs(result),
        ...(succeeded && prepared.record
            ? {
                'version-label': prepared.record.serving.versionLabel,
                'previous-version-label': prepared.record.previous?.versionLabel ?? '',
            }
            : fromRecord),
    };
    // What serves now, as read back (an image deploy creates its version during the run).
    const serving = after.find((row) => row.live && row.group === outputs['active-auto-scaling-group']);
    if (serving && serving.launchTemplateVersion !== '-')
        outputs['launch-template-version'] = serving.launchTemplateVersion;
    let reason = outcome.reason;
    if (rollbackMode) {
        if (succeeded) {
            reason = deps.requestedReason ?? 'manual rollback (mode: rollback)';
            outputs['rollback-reason'] = reason;
        }
        else if (reason)
            reason = `the rollback failed: ${reason}`;
    }
    else if (reason && result !== 'deployed')
        outputs['rollback-reason'] = reason;
    const details = prepared.details?.();
    return finish({
        ...(details && details.length > 0 && { details }),
        ...known,
        result,
        reason,
        rollbackIncomplete: outcome.rollbackIncomplete,
        warnings: outcome.warnings,
        after,
        steps: outcome.journal,
        traffic: prepared.traffic?.(outcome.journal) ?? [],
        outputs,
    });
}
/** Outputs `version-label` and `previous-version-label` as the record on the groups has them. */
function recordOutputs(record) {
    return {
        'version-label': record?.current.versionLabel ?? '',
        'previous-version-label': record?.previous?.versionLabel ?? '',
    };
}
function lockPlannedWrites(groups, expiresAt) {
    if (groups.length === 0)
        return { take: [], release: [] };
    const target = groups.join(', ');
    return {
        take: [
            {
                service: 'autoscaling',
                action: 'CreateOrUpdateTags',
                target,
                detail: `${LOCK_KEY} = this run, until ${new Date(expiresAt).toISOString()}; ${LOCK_URL_KEY} = run URL`,
            },
        ],
        release: [
            { service: 'autoscaling', action: 'DeleteTags', target, detail: `${LOCK_KEY}, ${LOCK_URL_KEY}` },
        ],
    };
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 20 modules
var lib_core = __webpack_require__(3218);
;// CONCATENATED MODULE: ./src/report/markdown.ts
/** Small Markdown helpers shared by the summary's sections. */
/** Keeps table cells intact: no pipe ends a cell early, no newline ends a row. */
function markdown_escape(text) {
    return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
/** `12:03:05`: UTC wall-clock time of an epoch-ms instant. */
function clockTime(ms) {
    return new Date(ms).toISOString().slice(11, 19);
}
function table(header, rows, align) {
    const rule = header.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
    return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}
function details(summary, body) {
    return [`<details><summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}

;// CONCATENATED MODULE: ./src/report/restored.ts
/**
 * What the rollback put back, in a few words, from the undos the journal marks
 * done: `traffic back on blue (2 listeners), green restored to 0/0/0`. Empty
 * when nothing was undone. Pure: the report is the only input.
 */
function describeRestored(report) {
    const undos = uniqueUndos(report);
    const parts = [];
    const routes = undos.filter((u) => u.kind === 'restore-route');
    if (routes.length > 0) {
        const listeners = routes.filter((u) => u.route.kind === 'listener').length;
        const rules = routes.length - listeners;
        const where = [count(listeners, 'listener'), count(rules, 'rule')].filter(Boolean).join(', ');
        const live = report.after.find((row) => row.live && row.traffic !== undefined && row.traffic > 0);
        // Routes are restored when traffic moved, and also when only the idle color was added at weight 0.
        const moved = (report.traffic ?? []).some((r) => r.step !== 'rollback');
        parts.push(report.strategy === 'blue-green' && live
            ? `traffic ${moved ? 'back' : 'still'} on ${live.name} (${where} restored)`
            : `the original actions of ${where} restored`);
    }
    for (const u of undos) {
        switch (u.kind) {
            case 'restore-group': {
                const lt = u.launchTemplate ? `, launch template version ${u.launchTemplate.version}` : '';
                parts.push(`${fleetName(report, u.group)} restored to ${u.min}/${u.desired}/${u.max}${lt}`);
                break;
            }
            case 'roll-back-instance-refresh':
                parts.push(`${u.group} rolled back to launch template version ${u.previous.version} (Instance Refresh rollback)`);
                break;
            case 'delete-created-versions':
                parts.push(`the launch template version this run created deleted`);
                break;
            case 'delete-marked-rules':
                parts.push(`the health-check rule removed`);
                break;
            default:
                break;
        }
    }
    return parts;
}
/** The undos of undone steps, each once (several steps may carry the same snapshot). */
function uniqueUndos(report) {
    const seen = new Set();
    const out = [];
    for (const entry of report.steps) {
        if (entry.status !== 'undone')
            continue;
        for (const undo of entry.undo ?? []) {
            const key = undo.kind === 'restore-route' ? `route ${undo.route.arn}` : JSON.stringify({ ...undo, waitMs: 0 });
            if (seen.has(key))
                continue;
            seen.add(key);
            out.push(undo);
        }
    }
    return out;
}
/** `green` for a color's group, the group's name otherwise. */
function fleetName(report, group) {
    const row = report.before.find((r) => r.group === group);
    return row && (row.name === 'blue' || row.name === 'green') ? `${row.name} (${group})` : group;
}
function count(n, noun) {
    return n === 0 ? '' : `${n} ${noun}${n === 1 ? '' : 's'}`;
}

;// CONCATENATED MODULE: ./src/report/tables.ts
/** The summary's tables, each from report data alone. */



/** One row per fleet (the one live before in bold): each value before the run, and `→ after` where it changed. */
function fleetTable(before, after) {
    const percent = (row) => row?.traffic === undefined ? undefined : `${row.traffic} %`;
    const change = (from, to) => from === undefined ? (to ?? '-') : to === undefined || to === from ? from : `${from} → **${to}**`;
    const rows = before.map((b) => {
        const a = after.find((row) => row.name === b.name);
        return [
            b.live ? `**${b.name}**` : b.name,
            b.group,
            markdown_escape(shortArn(b.targetGroupArn)),
            change(b.launchTemplateVersion, a?.launchTemplateVersion),
            change(b.capacity, a?.capacity),
            change(b.health, a?.health),
            change(percent(b), percent(a)),
        ];
    });
    return table([
        'Fleet',
        'Auto Scaling group',
        'Target group',
        'Version',
        'Capacity (min/desired/max)',
        'Health',
        'Traffic',
    ], rows);
}
const STATUS = {
    running: '⏳ running',
    done: '✅ done',
    failed: '❌ failed',
    undoing: '⏳ undoing',
    undone: '↩️ undone',
    'undo-failed': '⚠️ undo failed',
    skipped: '⏭️ skipped',
};
/**
 * One row per step: when it started (UTC and since the start of the run), how
 * long it took, its gate and the gate's result, its status now (a step undone
 * by the rollback says so) and what it did or why it failed.
 */
function tables_stepTable(steps, startedAt) {
    const rows = steps.map((s) => {
        const took = s.endedAt === undefined ? '' : formatDuration(s.endedAt - s.startedAt);
        const since = startedAt === undefined ? '' : ` (+${formatDuration(s.startedAt - startedAt)})`;
        const detail = [s.detail, s.undoDetail && `undo: ${s.undoDetail}`].filter(Boolean).join('<br>');
        return [
            markdown_escape(s.title),
            `${clockTime(s.startedAt)}${since}`,
            took,
            gateCell(s),
            STATUS[s.status],
            markdown_escape(detail),
        ];
    });
    return table(['Step', 'Started', 'Took', 'Gate', 'Status', 'Detail'], rows);
}
function gateCell(s) {
    if (!s.gate)
        return '';
    if (s.outcome === 'done')
        return `✅ ${s.gate}`;
    if (s.outcome === 'failed')
        return `❌ ${s.gate}`;
    return `⏳ ${s.gate}`;
}
/** Writes a run would make (plan mode, or the plan of a run), with their parameters. */
function plannedWritesTable(writes) {
    return table(['#', 'Service', 'Action', 'Target', 'Parameters'], writes.map((w, i) => [String(i + 1), w.service, w.action, markdown_escape(shortArn(w.target)), markdown_escape(w.detail)]));
}
/** Writes the run sent, as the SDK clients recorded them: never a request body. */
function sentWritesTable(writes, startedAt) {
    return table(['#', 'Time', 'Service', 'Action', 'Target', 'Result'], writes.map((w, i) => [
        String(i + 1),
        `${clockTime(w.at)} (+${formatDuration(w.at - startedAt)})`,
        w.service,
        w.action,
        markdown_escape(w.target.split(', ').map(shortArn).join(', ')),
        w.ok ? '✅ accepted' : `❌ ${markdown_escape(w.error ?? 'refused')}`,
    ]));
}

;// CONCATENATED MODULE: ./src/report/traffic-summary.ts


/**
 * The traffic steps as a table (time, weights, gates, alarm states) and a
 * chart of the share the new color served at each step, from the report data
 * alone. The chart is a mermaid `xychart-beta` bar chart: GitHub renders it in
 * job summaries, and the bars read as the steps of the shift at a glance.
 */
function trafficSection(records, startedAt, before) {
    if (records.length === 0)
        return [];
    const rows = records.map((r) => {
        const alarms = r.alarms
            .map((a) => `${a.name}: ${a.state === 'OK' ? a.state : `**${a.state}**`}`)
            .join('<br>');
        return [
            clockTime(r.at),
            r.step,
            `${r.weights.blue} %`,
            `${r.weights.green} %`,
            r.watchedMs > 0 ? formatDuration(r.watchedMs) : '',
            r.gate === 'passed' ? '✅ passed' : r.gate === 'failed' ? '❌ failed' : '',
            r.detail ?? '',
            alarms,
        ].map(markdown_escape);
    });
    const to = newColor(records, before);
    return [
        '### Traffic',
        '',
        ...table(['Time', 'Step', 'Blue', 'Green', 'Held', 'Gate', 'Health or reason', 'Alarms'], rows, [
            'left',
            'left',
            'right',
            'right',
        ]),
        '',
        '```mermaid',
        'xychart-beta',
        `  title "Traffic on ${to}, % (${to === 'green' ? 'blue' : 'green'} serves the rest)"`,
        `  x-axis [${records.map((r) => quoted(`+${formatDuration(r.at - startedAt)} ${r.step}`)).join(', ')}]`,
        `  y-axis "% of requests" 0 --> 100`,
        `  bar [${records.map((r) => r.weights[to]).join(', ')}]`,
        '```',
        '',
    ];
}
/** The color traffic moved to: the one whose share the first step raised. */
function newColor(records, before) {
    const first = records[0];
    if (!first)
        return 'green';
    const greenBefore = before.find((row) => row.name === 'green')?.traffic;
    if (greenBefore !== undefined && first.weights.green !== greenBefore)
        return first.weights.green > greenBefore ? 'green' : 'blue';
    // Without the weights before the run: the color a step gave all traffic, else the canary's minority.
    const full = records.find((r) => r.step !== 'rollback' && (r.weights.green === 100 || r.weights.blue === 100));
    if (full)
        return full.weights.green === 100 ? 'green' : 'blue';
    return first.weights.green <= first.weights.blue ? 'green' : 'blue';
}
/** A mermaid string literal: it cannot hold a double quote. */
function quoted(text) {
    return `"${text.replace(/"/g, "'")}"`;
}

;// CONCATENATED MODULE: ./src/report/verdict.ts

function verdictOf(report) {
    switch (report.result) {
        case 'deployed':
            return { notices: [`Deployed ${describeDeployed(report)}`], errors: [] };
        case 'unchanged':
            return { notices: [`Unchanged: ${report.headline}`], errors: [] };
        case 'planned':
            return {
                notices: [`Planned: ${report.headline}: ${report.plannedWrites.length} write(s), none sent`],
                errors: [],
            };
        case 'rolled-back':
            if (report.mode === 'rollback')
                return { notices: [`Rolled back ${report.headline}. Why: ${report.reason ?? ''}`], errors: [] };
            return failed(report);
        default:
            return failed(report);
    }
}
function failed(report) {
    const reason = report.reason ?? 'the deployment failed';
    return {
        notices: [],
        errors: report.problems.slice(1),
        failure: `${sentence(reason)} ${aftermath(report)}`,
    };
}
/** What state the failure left: restored (and how), left as it was, or nothing changed. */
function aftermath(report) {
    if (report.writesSent.length === 0 && report.steps.length === 0)
        return 'Nothing was changed.';
    const restored = describeRestored(report);
    if (report.rollbackIncomplete)
        return `The rollback did not finish${restored.length > 0 ? ` (restored so far: ${restored.join(', ')})` : ''}: see the job summary for what needs a hand.`;
    if (report.result === 'rolled-back')
        return restored.length > 0
            ? `Restored the state before the run: ${restored.join(', ')}.`
            : 'Nothing had changed yet: nothing needed restoring.';
    if (report.steps.some((s) => s.status === 'done' && s.phase === 'deploy'))
        return 'auto-rollback is false: the completed steps are left as they are (see the job summary).';
    return 'Nothing was left changed.';
}
function describeDeployed(report) {
    const o = report.outputs;
    const label = o['version-label'] ? `${o['version-label']} ` : '';
    const group = o['active-auto-scaling-group'];
    const version = o['launch-template-version']
        ? `launch template version ${o['launch-template-version']}`
        : '';
    if (o['active-color'])
        return `${label}to ${o['active-color']} (${[group, version].filter(Boolean).join(', ')})`;
    if (group)
        return `${label}to ${group}${version ? ` (${version})` : ''}`;
    return report.headline;
}
function sentence(text) {
    return /[.!?]$/.test(text) ? text : `${text}.`;
}

;// CONCATENATED MODULE: ./src/report/summary.ts






const BANNER = {
    deployed: '✅ Deployed',
    'rolled-back': '↩️ Rolled back',
    failed: '❌ Failed',
    planned: '📝 Planned',
    unchanged: '➖ Unchanged',
};
/**
 * The job summary as Markdown, built from the report alone (no AWS, no
 * runner): the result banner and, when the run failed, why and what was
 * restored, before anything else; then the fleets before and after, the
 * traffic steps, the steps with their gates, and every write sent.
 */
function renderSummary(report) {
    const out = [];
    out.push(`## ${banner(report)}${report.headline ? `: ${markdown_escape(report.headline)}` : ''}`, '');
    out.push(...outcomeCallout(report));
    if (report.warnings.length > 0) {
        out.push('> [!WARNING]');
        for (const w of report.warnings)
            out.push(`> ${markdown_escape(w)}`);
        out.push('');
    }
    out.push(facts(report), '');
    if (report.details && report.details.length > 0) {
        out.push('What AWS did:', '');
        for (const d of report.details)
            out.push(`- ${markdown_escape(d)}`);
        out.push('');
    }
    if (report.before.length > 0)
        out.push('### Before → after', '', ...fleetTable(report.before, report.after), '');
    out.push(...trafficSection(report.traffic ?? [], report.startedAt, report.before));
    if (report.steps.length > 0)
        out.push('### Steps', '', ...tables_stepTable(report.steps, report.startedAt), '');
    if (report.result === 'planned') {
        out.push('### Writes a deploy would make', '', `A ${report.mode === 'plan' ? 'deploy' : report.mode} would make these ${report.plannedWrites.length} write(s), in this order. Nothing was written.`, '', ...plannedWritesTable(report.plannedWrites), '');
        return out.join('\n');
    }
    if (report.writesSent.length > 0) {
        const refused = report.writesSent.filter((w) => !w.ok).length;
        out.push(...details(`${report.writesSent.length} write(s) sent to AWS${refused > 0 ? `, ${refused} refused` : ''}`, sentWritesTable(report.writesSent, report.startedAt)));
    }
    if (report.plannedWrites.length > 0 && report.result !== 'deployed') {
        out.push(...details(`The plan: ${report.plannedWrites.length} write(s) a complete run would have made`, plannedWritesTable(report.plannedWrites)));
    }
    return out.join('\n');
}
/** Why it failed (first), what was restored, or why a requested rollback ran. */
function outcomeCallout(report) {
    if (report.mode === 'rollback' && report.result === 'rolled-back') {
        return [
            '> [!NOTE]',
            `> **Rolled back ${markdown_escape(report.headline)}.** Why: ${markdown_escape(report.reason ?? '')}`,
            '',
        ];
    }
    if (!report.reason || report.result === 'deployed')
        return [];
    if (report.problems.length > 1) {
        // Pre-flight collects every problem: all of them are the reason.
        return [
            '> [!CAUTION]',
            `> **Why:** pre-flight found ${report.problems.length} problems. ${markdown_escape(aftermath(report))}`,
            ...report.problems.map((p) => `> - ${markdown_escape(p)}`),
            '',
        ];
    }
    const out = ['> [!CAUTION]', `> **Why:** ${markdown_escape(report.reason)}`];
    const restored = describeRestored(report);
    if (report.rollbackIncomplete) {
        out.push('> **The rollback did not finish**: the steps below marked undo failed need a hand.', ...(restored.length > 0 ? [`> Restored so far: ${markdown_escape(restored.join(', '))}.`] : []));
    }
    else
        out.push(`> ${markdown_escape(aftermath(report))}`);
    out.push('');
    return out;
}
function banner(report) {
    if (report.mode === 'rollback' && report.result === 'rolled-back')
        return '↩️ Rollback done';
    if (report.mode === 'rollback' && report.result === 'failed')
        return '❌ Rollback failed';
    return BANNER[report.result];
}
/** Strategy, mode, version, start and duration on one line. */
function facts(report) {
    const o = report.outputs;
    const parts = [`Strategy **${report.strategy}**`];
    if (report.mode !== 'deploy')
        parts.push(`mode **${report.mode}**`);
    // After a deploy the record names what went out; otherwise the headline does.
    if (report.result === 'deployed' && o['version-label']) {
        const previous = o['previous-version-label']
            ? ` (previous **${markdown_escape(o['previous-version-label'])}**)`
            : '';
        parts.push(`version **${markdown_escape(o['version-label'])}**${previous}`);
    }
    parts.push(`started ${clockTime(report.startedAt)} UTC`, `took ${formatDuration(report.endedAt - report.startedAt)}`);
    return `${parts.join(', ')}.`;
}
/** The post step's summary after it restored an interrupted deploy. */
function renderPostSummary(undone, steps) {
    const out = [
        undone
            ? '## ↩️ Interrupted deployment restored by the post step'
            : '## ⚠️ The interrupted deployment was not fully restored',
        '',
    ];
    if (!undone)
        out.push('What is not marked undone below needs a hand.', '');
    out.push(...stepTable(steps), '');
    return out.join('\n');
}

;// CONCATENATED MODULE: ./src/report/runner.ts



/** The engine's Logger on the runner: log groups per phase, warnings as annotations. */
const runnerLogger = {
    info: (message) => lib_core/* info */.pq(message),
    warning: (message) => lib_core/* warning */.$e(message),
    group: (name, fn) => lib_core/* group */.Os(name, fn),
};
/**
 * Outputs, job summary and the step's verdict: a notice on success with the
 * version, an error on failure with the reason and what was restored.
 */
async function publish(report) {
    for (const [name, value] of Object.entries(report.outputs))
        lib_core/* setOutput */.uH(name, value);
    try {
        await lib_core/* summary */.z.addRaw(renderSummary(report)).write();
    }
    catch (error) {
        lib_core/* warning */.$e(`could not write the job summary: ${error.message}`);
    }
    const verdict = verdictOf(report);
    for (const notice of verdict.notices)
        lib_core/* notice */.lm(notice);
    for (const error of verdict.errors)
        lib_core/* error */.z3(error);
    if (verdict.failure !== undefined)
        lib_core/* setFailed */.C1(verdict.failure);
}

;// CONCATENATED MODULE: ./src/state/runner-state.ts


/** Saves one piece of main's state for the post step; called before each write is sent. */
function saveRunnerState(name, value) {
    lib_core/* saveState */.LZ(name, value);
}
/** Main's state, as the post step reads it (STATE_* variables). */
function readRunnerState() {
    return readSavedRun((name) => core.getState(name));
}

;// CONCATENATED MODULE: ./src/runner-deploy.ts







const VERSION = '0.1.0';
/** The AWS half of main: real clients, system clock, runner logger and state. Loaded after validation. */
async function deployFromRunner(config, signal) {
    const env = process.env;
    const run = runIdentity(env);
    const writesSent = [];
    const clients = createClients({
        region: config.region,
        onWrite: (write) => writesSent.push(write),
        userAgentSuffix: `asg-deploy/${VERSION}${env.GITHUB_RUN_ID ? ` md/run_id#${env.GITHUB_RUN_ID}` : ''}`,
    });
    const report = await runDeployment(config, {
        aws: gateways(clients),
        clock: systemClock,
        signal,
        log: runnerLogger,
        saveState: saveRunnerState,
        runLabel: run.runUrl,
        run,
        requestedReason: workflowReason(env.GITHUB_EVENT_PATH),
        writesSent,
    });
    await publish(report);
}
function runIdentity(env) {
    const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : `run ${env.GITHUB_RUN_ID ?? 'local'}`;
    return {
        runId: env.GITHUB_RUN_ID ?? 'local',
        attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1,
        runUrl,
    };
}
/**
 * Why a rollback was asked for: the `reason` input of the workflow itself
 * (workflow_dispatch), read from the event payload. The action's own inputs
 * are a fixed contract, so the reason is not one of them.
 */
function workflowReason(eventPath) {
    if (!eventPath)
        return undefined;
    try {
        const event = JSON.parse((0,external_node_fs_.readFileSync)(eventPath, 'utf8'));
        const reason = event.inputs?.reason;
        return typeof reason === 'string' && reason.trim() !== '' ? reason.trim().slice(0, 500) : undefined;
    }
    catch {
        return undefined;
    }
}


/***/ })

};
