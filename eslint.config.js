import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** src/ is shipped: the simulator lives in sim/ beside it (like test/moto/), never imported from src/. */
const noSimulator = {
  group: ['**/sim/**', '../sim', '../../sim', '@smithy/core', '@smithy/core/*'],
  message: 'src/ is shipped: the simulated AWS lives in sim/.',
};
const noRunner = { name: '@actions/core', message: 'Only main.ts, post.ts and report/ talk to the runner.' };

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
  {
    files: ['src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSimulator] }] },
  },
  {
    files: ['src/engine/**', 'src/strategies/**', 'src/aws/**', 'src/inputs.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noRunner], patterns: [noSimulator] }] },
  },
  {
    files: ['sim/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noRunner] }] },
  },
);
