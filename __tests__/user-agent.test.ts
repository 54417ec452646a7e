import { userAgentPairs } from '../src/aws/clients.js';

describe('userAgentPairs', () => {
  it('splits the suffix into the name/version pairs the SDK sends as they are', () => {
    expect(userAgentPairs('asg-deploy/0.1.0 md/run_id#42')).toEqual([
      ['asg-deploy', '0.1.0'],
      ['md', 'run_id#42'],
    ]);
  });

  it('keeps a token without a version as a name alone', () => {
    expect(userAgentPairs('asg-deploy-post  md/run_id#7')).toEqual([['asg-deploy-post'], ['md', 'run_id#7']]);
  });
});
