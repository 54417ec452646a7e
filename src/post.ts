import { runPost } from './runner-post.js';

/** Post step entry (action.yml `post`): restores after a cancelled deploy and releases the lock. */
await runPost();
