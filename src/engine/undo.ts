import { isDeepStrictEqual } from 'node:util';
import type { Aws } from '../aws/index.js';
import type { Logger } from './log.js';
import type { Undo } from './plan.js';

/** Puts back one recorded change. Idempotent: every undo restores a snapshot. */
export async function applyUndo(aws: Aws, undo: Undo, log: Logger): Promise<string> {
  switch (undo.kind) {
    case 'restore-route': {
      await aws.elbv2.writeRoute(undo.route, undo.actions);
      const [after] = await aws.elbv2.describeRoutes(
        undo.route.kind === 'listener' ? [undo.route.arn] : [],
        undo.route.kind === 'rule' ? [undo.route.arn] : [],
      );
      // Compared as JSON: an undo read back from runner state has lost its undefined fields.
      if (!after || !isDeepStrictEqual(asJson(after.actions), asJson(undo.actions))) {
        throw new Error(
          `${undo.route.kind} ${undo.route.arn} reads back different from its recorded actions`,
        );
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
      const created = (await aws.ec2.versionsAfter(undo.launchTemplateId, undo.after)).filter(
        (v) => !v.isDefault && (v.description ?? '').includes(undo.marker),
      );
      for (const v of created) await aws.ec2.deleteVersion(undo.launchTemplateId, v.version);
      if (created.length === 0) log.info(`no launch template version of this run to delete`);
      return created.length === 0
        ? 'no version to delete'
        : `deleted launch template version ${created.map((v) => v.version).join(', ')}`;
    }
  }
}

/** `listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2` → `web/…/f2f7dc8efc522ab2`, for readable logs. */
export function shortArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  if (parts.length >= 4) return `${parts[0]}/${parts[2]}/…/${parts[parts.length - 1]}`;
  return resource || arn;
}

function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
