/**
 * Builds the end-to-end fixture (two ASGs behind an ALB, launch template
 * versions 1 and 2, two alarms) on a running moto server and prints a `.env`
 * for a local run of the action against it:
 *
 *   python3 test/moto/server.py -H 127.0.0.1 -p 5055 &
 *   npx tsx scripts/moto-env.ts http://127.0.0.1:5055 > .env
 *   npx @github/local-action . src/action/main.ts .env
 */
import { buildInfrastructure } from '../__tests__/e2e/fixture.js';

const endpoint = process.argv[2] ?? 'http://127.0.0.1:5055';
const infra = await buildInfrastructure(endpoint, { name: 'local' });

const lines = [
  '# Written by scripts/moto-env.ts for the moto server at ' + endpoint,
  `AWS_ENDPOINT_URL=${endpoint}`,
  'AWS_ACCESS_KEY_ID=testing',
  'AWS_SECRET_ACCESS_KEY=testing',
  `AWS_REGION=${infra.region}`,
  'GITHUB_RUN_ID=1',
  'GITHUB_RUN_ATTEMPT=1',
  'GITHUB_REPOSITORY=octo-org/shop',
  'GITHUB_SERVER_URL=https://github.com',
  'GITHUB_STEP_SUMMARY=/tmp/asg-deploy-summary.md',
  'INPUT_STRATEGY=blue-green',
  'INPUT_MODE=deploy',
  `INPUT_LISTENER-ARNS=${infra.listenerArns.join(',')}`,
  `INPUT_LISTENER-RULE-ARNS=${infra.listenerRuleArn}`,
  `INPUT_BLUE-AUTO-SCALING-GROUP=${infra.autoScalingGroups.blue}`,
  `INPUT_GREEN-AUTO-SCALING-GROUP=${infra.autoScalingGroups.green}`,
  'INPUT_LAUNCH-TEMPLATE-VERSION=2',
  'INPUT_VERSION-LABEL=local-1',
  'INPUT_POLL-INTERVAL=1s',
];
console.log(lines.join('\n'));
