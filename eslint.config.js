// Lint: the project's style, and the layers of DESIGN.md ("Layout") as import rules.
// Run with `npx eslint .` (part of `npm test`).
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const SOURCE_ROOTS = ['agent', 'emulator', 'protocol'];
/** Node modules that do I/O, run timers or hold process state: not for protocol/ (which stays pure). */
const IMPURE_NODE_MODULES = [
  'fs', 'fs/promises', 'net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns', 'child_process', 'cluster',
  'worker_threads', 'timers', 'timers/promises', 'process', 'os', 'readline', 'stream', 'perf_hooks',
];

/** The folders the store (agent/queue) may not import. */
const STORE_MAY_NOT_IMPORT = ['agent/host', 'agent/forwarder'];

/** `agent/queue/x.ts` → `agent`; files outside the three source roots → undefined. */
const sourceRoot = (file) => {
  const top = path.relative(ROOT, file).split(path.sep)[0];
  return SOURCE_ROOTS.includes(top) ? top : undefined;
};

/**
 * Layer rules for relative imports between source files:
 * - protocol/ imports nothing of agent/ or emulator/;
 * - agent/ imports nothing of emulator/;
 * - agent/queue/ (the store) imports nothing of agent/host/ or agent/forwarder/: it keeps what was accepted,
 *   and knows nothing of how it is sent;
 * - a file reaches into another folder only through that folder's index.ts
 *   (its own folder and the folders above it are open to it; a lazy import() may name a file).
 */
export const layers = {
  meta: {
    type: 'problem',
    fixable: 'code',
    docs: { description: 'DESIGN.md layers: protocol is pure, the agent does not import the emulator, folders are entered through index.ts' },
    messages: {
      upward: '{{from}}/ must not import {{to}}/ (DESIGN.md, Layout: {{why}}).',
      index: "Import '{{folder}}' through its index.ts ('{{suggest}}'), not its file '{{file}}'.",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = sourceRoot(file);
    if (from === undefined) return {};
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = sourceRoot(target);
      if (to === undefined) return;
      if (from === 'protocol' && to !== 'protocol') {
        context.report({ node: node.source, messageId: 'upward', data: { from, to, why: 'protocol is shared by both programs and depends on neither' } });
        return;
      }
      if (from === 'agent' && to === 'emulator') {
        context.report({ node: node.source, messageId: 'upward', data: { from, to, why: 'the agent ships to terminals without the emulator' } });
        return;
      }
      const fromFolder = path.relative(ROOT, path.dirname(file)).split(path.sep).slice(0, 2).join('/');
      const toFolder = path.relative(ROOT, path.dirname(target)).split(path.sep).slice(0, 2).join('/');
      if (fromFolder === 'agent/queue' && STORE_MAY_NOT_IMPORT.includes(toFolder)) {
        context.report({ node: node.source, messageId: 'upward', data: { from: fromFolder, to: toFolder, why: 'the store keeps what was accepted and knows nothing of how it is sent' } });
        return;
      }
      // A dynamic import() is how a CLI loads one sub-command on demand: it may name the file.
      if (node.type === 'ImportExpression') return;
      const targetDir = path.dirname(target);
      const fileDir = path.dirname(file);
      const open = fileDir === targetDir || fileDir.startsWith(targetDir + path.sep);
      if (open || path.basename(target) === 'index.js') return;
      const folder = path.relative(ROOT, targetDir);
      const rel = path.relative(fileDir, path.join(targetDir, 'index.js'));
      const suggest = rel.startsWith('.') ? rel : `./${rel}`;
      context.report({
        node: node.source,
        messageId: 'index',
        data: { folder, file: path.basename(target), suggest },
        // The index may not export the name yet: the type check says so after `eslint --fix`.
        fix: (fixer) => fixer.replaceText(node.source, `'${suggest}'`),
      });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: ROOT },
    },
    plugins: { pos: { rules: { layers } } },
    rules: {
      'pos/layers': 'error',
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A promise nobody awaits loses its failure: on a till that is a lost earning or an unlogged refusal.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: IMPURE_NODE_MODULES.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'protocol/ is pure: no I/O, timers or process state (DESIGN.md, Layout).' })),
      }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'protocol/ is pure: no timers.' },
        { name: 'setInterval', message: 'protocol/ is pure: no timers.' },
        { name: 'process', message: 'protocol/ is pure: no process state.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests may read a module's internals, and assert on thrown values.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
);
