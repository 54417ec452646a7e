import type { BlueGreenFixture, SimAws } from '../../sim/index.js';

/** Inputs for a rolling or recreate deploy of the fixture's blue group. */
export function singleGroupInputs(
  f: BlueGreenFixture,
  strategy: 'rolling' | 'recreate',
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    strategy,
    'auto-scaling-group': f.blueGroup,
    'poll-interval': '10s',
    ...(strategy === 'recreate' ? { 'listener-arns': f.listenerArns.join('\n') } : {}),
    ...extra,
  };
}

export interface Sample {
  at: number;
  inService: number;
  healthy: number;
  launchTemplateVersion: string;
  listenerTypes: string[];
}

/** Samples the group every virtual second until stopped: what an outside observer would see at every instant. */
export function observe(f: BlueGreenFixture, sim: SimAws = f.sim): { samples: Sample[]; stop: () => void } {
  const samples: Sample[] = [];
  let stopped = false;
  const sample = () => {
    if (stopped) return;
    const g = sim.group(f.blueGroup);
    const health = sim.targetStates(f.blueTargetGroupArn);
    const inService = g.instances.filter((i) => i.lifecycle === 'InService');
    samples.push({
      at: sim.clock.now(),
      inService: inService.length,
      healthy: inService.filter((i) => health[i.id] === 'healthy').length,
      launchTemplateVersion: g.launchTemplate.version,
      listenerTypes: f.listenerArns.flatMap((arn) => sim.listenerActions(arn).map((a) => a.Type ?? '')),
    });
    sim.clock.schedule(sim.clock.now() + 1000, sample);
  };
  sample();
  return { samples, stop: () => (stopped = true) };
}
