// A stand-in for dist/index.js, used only by harness.e2e.test.ts to prove that
// run-action.ts runs an action as the runner does: inputs, the SDK's endpoint
// and credentials from the environment, file commands written by @actions/core.
import * as core from '@actions/core';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';

try {
  const listenerArns = core
    .getInput('listener-arns')
    .split(/[\n,]/)
    .map((arn) => arn.trim())
    .filter(Boolean);
  if (!listenerArns.every((arn) => arn.includes(':listener/'))) {
    throw new Error('listener-arns: expected ALB listener ARNs');
  }
  // No region, endpoint or credentials here: AWS_REGION, AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID.
  const elbv2 = new ElasticLoadBalancingV2Client({});
  const { Listeners = [] } = await elbv2.send(new DescribeListenersCommand({ ListenerArns: listenerArns }));
  core.setOutput('ports', Listeners.map((listener) => listener.Port).join(','));
  core.setOutput('multi-line', 'first line\nsecond = line');
  core.setOutput(
    'environment',
    Object.keys(process.env)
      .filter((name) => /^AWS_|proxy/i.test(name))
      .sort()
      .join(','),
  );
  core.saveState('deployment', JSON.stringify({ listeners: Listeners.length }));
  await core.summary.addHeading('stand-in deployed').write();
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}
