import * as core from '@actions/core';
import { run } from './action/main.js';

/**
 * The one entry of both steps: action.yml runs this file as `main` and as
 * `post`. Main marks the job's state first thing (as actions/checkout does), so
 * the post step, which receives it as STATE_isPost, knows it is the post step.
 */
if (core.getState('isPost') === 'true') {
  const { runPost } = await import('./action/post.js');
  await runPost();
} else {
  core.saveState('isPost', 'true');
  await run();
}
