/**
 * Module boundaries (shared/CONVENTIONS.md section 8). `npm run lint` fails on any of these.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports hide a tangled design (type-only cycles have no run-time effect).',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'platform-is-domain-free',
      severity: 'error',
      comment: 'src/platform is building blocks: it must not know about domains or the policy.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|policy)/' },
    },
    {
      name: 'modules-through-index',
      severity: 'error',
      comment: 'A module uses another only through its index.ts.',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'pages-not-repos',
      severity: 'error',
      comment: 'Pages and API routes go through services, never straight to SQL.',
      from: { path: '\\.(pages|api)\\.ts$' },
      to: { path: '\\.repo\\.ts$' },
    },
    {
      name: 'kysely-in-db-and-repos',
      severity: 'error',
      comment: 'Only the database layer and repositories build SQL.',
      from: {
        path: '^src/',
        pathNot: [
          '^src/platform/(db|audit|outbox)/',
          '\\.repo\\.ts$',
          '\\.tables\\.ts$',
          '^src/migrations/',
          '^src/database\\.ts$',
          '^src/app\\.ts$',
          '^src/demo/',
          '^src/testing/',
          '\\.test\\.ts$',
        ],
      },
      to: { path: 'node_modules/kysely/' },
    },
    {
      name: 'testing-only-in-tests',
      severity: 'error',
      comment: 'src/testing is for tests only.',
      from: { path: '^src/', pathNot: ['^src/testing/', '\\.test\\.ts$'] },
      to: { path: '^src/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
