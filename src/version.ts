/** Put in by `npm run bundle` (scripts/bundle.ts) from package.json's version. */
declare const __ASG_DEPLOY_VERSION__: string | undefined;

/** The action's version, as the bundle was built; `dev` when run from the sources. */
export const VERSION: string = typeof __ASG_DEPLOY_VERSION__ === 'string' ? __ASG_DEPLOY_VERSION__ : 'dev';
