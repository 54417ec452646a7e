/**
 * `npm run bundle`: dist/ from src/index.ts, the one entry of main and post.
 *
 * esbuild, ESM with code splitting, every chunk minified: dist/index.js holds
 * the runner edge and input validation; the AWS half (action/deploy, action/post) and
 * the SDK live in dist/chunks/, loaded by dynamic import only once the inputs
 * are valid, and shared by main and post (the SDK is in the dist once).
 *
 * The build is reproducible (content-hashed chunk names, no timestamps): two
 * runs give byte-identical files, which the check-dist workflow relies on.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

/**
 * The SDK's generated schema files key their member traits with computed keys
 * (`{ [_xN]: _it }`, `_xN` a string constant). esbuild cannot prove such a key
 * free of side effects, so it keeps every schema of the service: all of EC2's
 * (550 KB minified) for the four commands used, evaluated at every start. The
 * same keys written as the string literals they stand for let it drop the
 * unused ones; what is kept is unchanged.
 */
export const literalSchemaKeys: Plugin = {
  name: 'literal-schema-keys',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
      async (args) => ({ contents: inlineSchemaKeys(await readFile(args.path, 'utf8')), loader: 'js' }),
    );
  },
};

/**
 * `@actions/github`'s entry makes its `context` and, at load, an Octokit class
 * with every REST endpoint method (about 110 KB minified, evaluated before the
 * first AWS request) that the action never uses: it reads only the context.
 * This gives `import { context } from '@actions/github'` the entry's own
 * `new Context()` from the package's lib/context.js, and nothing else of it.
 * A use of anything else from the package fails the build (not exported here).
 */
export const githubContextOnly: Plugin = {
  name: 'github-context-only',
  setup(b) {
    b.onResolve({ filter: /^@actions\/github$/ }, () => ({ path: 'context', namespace: 'github-context' }));
    b.onLoad({ filter: /.*/, namespace: 'github-context' }, () => ({
      contents: "import { Context } from './lib/context.js';\nexport const context = new Context();\n",
      resolveDir: path.join(root, 'node_modules', '@actions', 'github'),
      loader: 'js',
    }));
  },
};

export function inlineSchemaKeys(source: string): string {
  const strings = new Map(
    [...source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  return source.replace(/\[(_\w+)\]:/g, (whole, id: string) => {
    const literal = strings.get(id);
    return literal === undefined ? whole : `${literal}:`;
  });
}

/** Every bundled package's name, version, license and license text, sorted by name. */
function licenseReport(metafile: Metafile): string {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m?.[1]) dirs.add(path.resolve(root, m[1]));
  }
  const entries = [...dirs].map((dir) => {
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? readFileSync(path.join(dir, file), 'utf8').trim() : '(no license file)';
    return {
      key: `${meta.name}@${meta.version}`,
      text: `${meta.name} ${meta.version}\n${meta.license ?? 'UNKNOWN'}\n${text}`,
    };
  });
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return entries.map((e) => e.text).join('\n\n') + '\n';
}

async function bundle(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    outdir: dist,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
    plugins: [literalSchemaKeys, githubContextOnly],
    define: { __ASG_DEPLOY_VERSION__: JSON.stringify(pkg.version) },
    // CommonJS dependencies (undici, tunnel) call require(): give every chunk one.
    banner: {
      js: "import{createRequire as __asgRequire}from'node:module';const require=__asgRequire(import.meta.url);",
    },
  });
  writeFileSync(path.join(dist, 'licenses.txt'), licenseReport(result.metafile));
  writeFileSync(path.join(dist, 'package.json'), '{ "type": "module" }\n');
  const outputs = Object.entries(result.metafile.outputs);
  const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
  console.log(`dist/: ${outputs.length} JavaScript files, ${bytes} bytes (asg-deploy ${pkg.version})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundle();
