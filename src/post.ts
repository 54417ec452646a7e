import { runPost } from './action/post.js';

/** Post step entry (action.yml `post`): restores after a cancelled deploy and releases the lock. */
await runPost();
