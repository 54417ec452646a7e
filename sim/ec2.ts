/** EC2 launch templates: versions, $Latest/$Default, ClientToken idempotency. */
import type {
  CreateLaunchTemplateVersionCommandInput,
  CreateLaunchTemplateVersionCommandOutput,
  DeleteLaunchTemplateVersionsCommandInput,
  DeleteLaunchTemplateVersionsCommandOutput,
  DescribeLaunchTemplatesCommandInput,
  DescribeLaunchTemplatesCommandOutput,
  DescribeLaunchTemplateVersionsCommandInput,
  DescribeLaunchTemplateVersionsCommandOutput,
  LaunchTemplate as SdkLaunchTemplate,
  LaunchTemplateVersion,
  ModifyLaunchTemplateCommandInput,
  ModifyLaunchTemplateCommandOutput,
} from '@aws-sdk/client-ec2';
import { clientError } from './errors.js';
import type { Handlers } from './handlers.js';
import { clone, type LaunchTemplate, type LtVersion, type SimState } from './state.js';

type Out<T> = Omit<T, '$metadata'>;

const ec2Error = (code: string, message: string): Error => clientError('ec2', code, message);

export function createLaunchTemplate(
  sim: SimState,
  p: { name: string; imageId: string; instanceType?: string },
): { id: string; name: string } {
  for (const lt of sim.launchTemplates.values()) {
    if (lt.name === p.name) throw new Error(`SimAws: launch template ${p.name} already exists`);
  }
  const id = `lt-${sim.hexId('lt', 17)}`;
  const now = sim.now();
  const lt: LaunchTemplate = {
    id,
    name: p.name,
    createdAt: now,
    defaultVersion: 1,
    latestVersion: 1,
    lastCreated: 1,
    versions: new Map(),
  };
  lt.versions.set(1, {
    number: 1,
    data: { ImageId: p.imageId, InstanceType: p.instanceType ?? 't3.micro' },
    createdAt: now,
    bad: false,
  });
  sim.launchTemplates.set(id, lt);
  if (!sim.images.has(p.imageId)) sim.images.set(p.imageId, 'available');
  return { id, name: p.name };
}

export function addVersion(
  sim: SimState,
  lt: LaunchTemplate,
  data: Record<string, unknown>,
  description?: string,
): LtVersion {
  const number = lt.lastCreated + 1;
  const v: LtVersion = { number, data: clone(data), createdAt: sim.now(), bad: false };
  if (description !== undefined) v.description = description;
  lt.versions.set(number, v);
  lt.latestVersion = number;
  lt.lastCreated = number;
  return v;
}

export function findLaunchTemplate(
  sim: SimState,
  ref: { LaunchTemplateId?: string; LaunchTemplateName?: string },
): LaunchTemplate {
  if (ref.LaunchTemplateId !== undefined) {
    const lt = sim.launchTemplates.get(ref.LaunchTemplateId);
    if (!lt) {
      throw ec2Error(
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${ref.LaunchTemplateId}, does not exist.`,
      );
    }
    return lt;
  }
  if (ref.LaunchTemplateName !== undefined) {
    for (const lt of sim.launchTemplates.values()) if (lt.name === ref.LaunchTemplateName) return lt;
    throw ec2Error(
      'InvalidLaunchTemplateName.NotFoundException',
      `The specified launch template, with template name ${ref.LaunchTemplateName}, does not exist.`,
    );
  }
  throw ec2Error(
    'MissingParameter',
    'The request must contain the parameter LaunchTemplateName or LaunchTemplateId',
  );
}

/** '$Latest', '$Default' or a number → the version number, or undefined when there is none. */
export function resolveVersionNumber(lt: LaunchTemplate, version: string): number | undefined {
  if (version === '$Latest') return lt.latestVersion;
  if (version === '$Default') return lt.defaultVersion;
  if (!/^[0-9]+$/.test(version)) return undefined;
  const n = Number(version);
  return lt.versions.has(n) ? n : undefined;
}

export function resolveVersion(lt: LaunchTemplate, version: string): LtVersion {
  const n = resolveVersionNumber(lt, version);
  const v = n === undefined ? undefined : lt.versions.get(n);
  if (!v) {
    throw ec2Error(
      'InvalidLaunchTemplateId.VersionNotFound',
      `Could not find launch template version ${version} for launch template ID ${lt.id}`,
    );
  }
  return v;
}

function describeVersion(sim: SimState, lt: LaunchTemplate, v: LtVersion): LaunchTemplateVersion {
  const out: LaunchTemplateVersion = {
    LaunchTemplateId: lt.id,
    LaunchTemplateName: lt.name,
    VersionNumber: v.number,
    CreateTime: new Date(v.createdAt),
    CreatedBy: `arn:aws:iam::${sim.accountId}:root`,
    DefaultVersion: v.number === lt.defaultVersion,
    LaunchTemplateData: clone(v.data),
  };
  if (v.description !== undefined) out.VersionDescription = v.description;
  return out;
}

function describeTemplate(sim: SimState, lt: LaunchTemplate): SdkLaunchTemplate {
  return {
    LaunchTemplateId: lt.id,
    LaunchTemplateName: lt.name,
    CreateTime: new Date(lt.createdAt),
    CreatedBy: `arn:aws:iam::${sim.accountId}:root`,
    DefaultVersionNumber: lt.defaultVersion,
    LatestVersionNumber: lt.latestVersion,
  };
}

function describeLaunchTemplateVersions(
  sim: SimState,
  input: DescribeLaunchTemplateVersionsCommandInput,
): Out<DescribeLaunchTemplateVersionsCommandOutput> {
  const lt = findLaunchTemplate(sim, input);
  let versions: LtVersion[];
  if (input.Versions && input.Versions.length > 0) {
    const seen = new Set<number>();
    versions = [];
    for (const s of input.Versions) {
      const v = resolveVersion(lt, s);
      if (!seen.has(v.number)) versions.push(v);
      seen.add(v.number);
    }
  } else {
    versions = [...lt.versions.values()].sort((a, b) => b.number - a.number);
    const min = input.MinVersion === undefined ? undefined : resolveVersionNumber(lt, input.MinVersion);
    const max = input.MaxVersion === undefined ? undefined : resolveVersionNumber(lt, input.MaxVersion);
    versions = versions.filter(
      (v) => (min === undefined || v.number >= min) && (max === undefined || v.number <= max),
    );
  }
  return { LaunchTemplateVersions: versions.map((v) => describeVersion(sim, lt, v)) };
}

function createLaunchTemplateVersion(
  sim: SimState,
  input: CreateLaunchTemplateVersionCommandInput,
  clientToken: string | undefined,
): Out<CreateLaunchTemplateVersionCommandOutput> {
  const { ClientToken: _ignored, ...rest } = input;
  const fingerprint = JSON.stringify(rest);
  if (clientToken !== undefined) {
    const prior = sim.clientTokens.get(clientToken);
    if (prior) {
      if (prior.fingerprint !== fingerprint) {
        throw ec2Error(
          'IdempotentParameterMismatch',
          'The client token you have provided is associated with a resource that is already deleted or has different parameters.',
        );
      }
      return clone(prior.result) as Out<CreateLaunchTemplateVersionCommandOutput>;
    }
  }
  const lt = findLaunchTemplate(sim, input);
  if (!input.LaunchTemplateData) {
    throw ec2Error('MissingParameter', 'The request must contain the parameter LaunchTemplateData');
  }
  const base = input.SourceVersion === undefined ? {} : resolveVersion(lt, input.SourceVersion).data;
  const data = { ...clone(base), ...clone(input.LaunchTemplateData as Record<string, unknown>) };
  const v = addVersion(sim, lt, data, input.VersionDescription);
  const result = { LaunchTemplateVersion: describeVersion(sim, lt, v) };
  if (clientToken !== undefined) sim.clientTokens.set(clientToken, { fingerprint, result: clone(result) });
  return result;
}

function deleteLaunchTemplateVersions(
  sim: SimState,
  input: DeleteLaunchTemplateVersionsCommandInput,
): Out<DeleteLaunchTemplateVersionsCommandOutput> {
  const lt = findLaunchTemplate(sim, input);
  const ok: NonNullable<
    DeleteLaunchTemplateVersionsCommandOutput['SuccessfullyDeletedLaunchTemplateVersions']
  > = [];
  const failed: NonNullable<
    DeleteLaunchTemplateVersionsCommandOutput['UnsuccessfullyDeletedLaunchTemplateVersions']
  > = [];
  for (const s of input.Versions ?? []) {
    const n = /^[0-9]+$/.test(s) ? Number(s) : undefined;
    const item = { LaunchTemplateId: lt.id, LaunchTemplateName: lt.name, VersionNumber: n };
    if (n === undefined || !lt.versions.has(n)) {
      failed.push({
        ...item,
        ResponseError: { Code: 'launchTemplateVersionDoesNotExist', Message: `Version ${s} does not exist.` },
      });
    } else if (n === lt.defaultVersion) {
      failed.push({
        ...item,
        ResponseError: {
          Code: 'unexpectedError',
          Message: 'Cannot delete the default version of a launch template.',
        },
      });
    } else {
      lt.versions.delete(n);
      ok.push(item);
    }
  }
  lt.latestVersion = Math.max(...lt.versions.keys());
  return {
    SuccessfullyDeletedLaunchTemplateVersions: ok,
    UnsuccessfullyDeletedLaunchTemplateVersions: failed,
  };
}

function describeLaunchTemplates(
  sim: SimState,
  input: DescribeLaunchTemplatesCommandInput,
): Out<DescribeLaunchTemplatesCommandOutput> {
  let lts: LaunchTemplate[];
  if (input.LaunchTemplateIds?.length) {
    lts = input.LaunchTemplateIds.map((id) => findLaunchTemplate(sim, { LaunchTemplateId: id }));
  } else if (input.LaunchTemplateNames?.length) {
    lts = input.LaunchTemplateNames.map((name) => findLaunchTemplate(sim, { LaunchTemplateName: name }));
  } else {
    lts = [...sim.launchTemplates.values()];
  }
  return { LaunchTemplates: lts.map((lt) => describeTemplate(sim, lt)) };
}

function modifyLaunchTemplate(
  sim: SimState,
  input: ModifyLaunchTemplateCommandInput,
): Out<ModifyLaunchTemplateCommandOutput> {
  const lt = findLaunchTemplate(sim, input);
  if (input.DefaultVersion !== undefined) lt.defaultVersion = resolveVersion(lt, input.DefaultVersion).number;
  return { LaunchTemplate: describeTemplate(sim, lt) };
}

/**
 * DescribeImages by ImageIds, as EC2 answers it: an id it does not know fails
 * the call with InvalidAMIID.NotFound; a known one is listed with its State.
 */
function describeImages(sim: SimState, input: { ImageIds?: string[] }): object {
  const ids = input.ImageIds ?? [];
  const missing = ids.filter((id) => !sim.images.has(id));
  if (missing.length > 0)
    throw ec2Error('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
  return {
    Images: ids.map((id) => ({
      ImageId: id,
      State: sim.images.get(id),
      ...(sim.images.get(id) === 'failed' && {
        StateReason: { Code: 'Client.InvalidSnapshot.NotFound', Message: 'The snapshot does not exist' },
      }),
    })),
  };
}

export const ec2Handlers: Handlers = {
  DescribeImages: (sim, input) => describeImages(sim, input as { ImageIds?: string[] }),
  DescribeLaunchTemplateVersions: (sim, input) =>
    describeLaunchTemplateVersions(sim, input as DescribeLaunchTemplateVersionsCommandInput),
  CreateLaunchTemplateVersion: (sim, input, ctx) =>
    createLaunchTemplateVersion(sim, input as CreateLaunchTemplateVersionCommandInput, ctx.clientToken),
  DeleteLaunchTemplateVersions: (sim, input) =>
    deleteLaunchTemplateVersions(sim, input as DeleteLaunchTemplateVersionsCommandInput),
  DescribeLaunchTemplates: (sim, input) =>
    describeLaunchTemplates(sim, input as DescribeLaunchTemplatesCommandInput),
  ModifyLaunchTemplate: (sim, input) => modifyLaunchTemplate(sim, input as ModifyLaunchTemplateCommandInput),
};
