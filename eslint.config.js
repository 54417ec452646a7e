import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** src/ is shipped: the simulator lives in sim/ beside it (like test/moto/), never imported from src/. */
const noSimulator = {
  group: ['**/sim/**', '../sim', '../../sim', '@smithy/core', '@smithy/core/*'],
  message: 'src/ is shipped: the simulated AWS lives in sim/.',
};
const noRunner = [
  { name: '@actions/core', message: 'Only src/action/ talks to the runner.' },
  { name: '@actions/github', message: 'Only src/action/ reads the GitHub context.' },
];

/**
 * The layers of src/, in the order a run flows through them (docs/architecture.md):
 * action → pipeline → strategies → state, report → engine → aws → util.
 * A folder imports only folders after it; the engine takes AWS types only.
 */
const FOLDERS = {
  action: ['**/action/**'],
  pipeline: ['**/pipeline/**'],
  strategies: ['**/strategies/**'],
  state: ['**/state/**'],
  report: ['**/report/**'],
  engine: ['**/engine/**'],
  aws: ['**/aws/**'],
  inputs: ['**/inputs/**'],
};

/** `no-restricted-imports` for one layer: never the simulator, the runner only at the edge, no layer above it. */
function layer(files, above, { runner = false, typesOnlyFrom = [] } = {}) {
  const patterns = [
    noSimulator,
    ...above.map((name) => ({
      group: FOLDERS[name],
      message: `${files[0]} sits below ${name}/ (docs/architecture.md): it does not import it.`,
    })),
    ...typesOnlyFrom.map((name) => ({
      group: FOLDERS[name],
      allowTypeImports: true,
      message: `${files[0]} imports types only from ${name}/: the behaviour is handed in.`,
    })),
  ];
  return {
    files,
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { paths: runner ? [] : noRunner, patterns }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: 'error',
    },
  },
  // Type-aware rules (typescript-eslint's strict set) on every TypeScript file: one program from
  // tsconfig.all.json (src, sim, tests, bench, scripts) is faster than a project service per folder.
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.all.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Counts and durations in messages are the norm here; `undefined`, objects and unions still fail.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNullish: false, allowRegExp: false },
      ],
      // `(line) => core.info(line)` callbacks and `return finish(run)` in a void function are idioms; a used void value still fails.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
    },
  },
  {
    // Tests: a `!` on what the test just set up fails the test loudly if wrong, deleting
    // `process.env[name]` is how a test unsets a variable, and jest's asymmetric matchers
    // (`expect.stringMatching(…)` inside toEqual) are typed `any` by @types/jest.
    files: ['__tests__/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  {
    files: ['src/**'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })] },
    rules: {
      'no-restricted-imports': ['error', { patterns: [noSimulator] }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 120 }],
      // A switch over a union names every member (a `default` ends in assertNever), over a string has a default.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: true },
      ],
    },
  },
  layer(['src/action/**'], [], { runner: true }),
  layer(['src/index.ts', 'src/post.ts'], ['pipeline', 'strategies', 'state', 'report', 'engine', 'aws'], {
    runner: true,
  }),
  layer(['src/pipeline/**'], ['action']),
  layer(['src/strategies/**'], ['action', 'pipeline']),
  layer(['src/state/**'], ['action', 'pipeline', 'strategies', 'report']),
  layer(['src/report/**'], ['action', 'pipeline', 'strategies', 'state']),
  layer(['src/engine/**'], ['action', 'pipeline', 'state', 'report', 'inputs'], {
    typesOnlyFrom: ['aws', 'strategies'],
  }),
  layer(['src/aws/**'], ['action', 'pipeline', 'strategies', 'state', 'report', 'inputs']),
  layer(['src/util/**'], ['action', 'pipeline', 'strategies', 'state', 'report', 'engine', 'aws', 'inputs']),
  layer(['src/inputs/**'], ['action', 'pipeline', 'strategies', 'state', 'report', 'engine', 'aws']),
  {
    files: ['sim/**'],
    rules: { 'no-restricted-imports': ['error', { paths: noRunner }] },
  },
);
