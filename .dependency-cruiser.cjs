/**
 * The dependency rules `npm test` checks (npm run check:deps). Layers point inward only:
 *
 *   shared, domain  ←  contracts  ←  ports  ←  repositories  ←  services
 *                                      ↑                           ↑
 *                                  adapters              api · lambda · cli · app
 *
 * - shared: cross-cutting basics every layer may use (logger, configuration, text analysis).
 * - domain: entities, their rules and errors. contracts: schemas both sides of a boundary read
 *   (the HTTP API's, AWS names, the DynamoDB table). ports: interfaces the core needs.
 * - repositories: all SQL over the Database port. services: the use cases.
 * - adapters implement ports and know nothing of services; api, lambda and cli translate their
 *   protocol into service calls; app is the composition root that wires adapters into services.
 * Type-only imports count too: a type is as much a dependency as a value for the reader.
 */
const inner = (allowed) => `^src/(?!(${allowed.join('|')})/)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be read, tested or moved alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-a-leaf',
      severity: 'error',
      comment: 'shared/ is used by every layer, so it may use none of them.',
      from: { path: '^src/shared/' },
      to: { path: inner(['shared']) },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'The domain depends on nothing but itself and shared/.',
      from: { path: '^src/domain/' },
      to: { path: inner(['domain', 'shared']) },
    },
    {
      name: 'contracts-point-inward',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { path: inner(['contracts', 'domain', 'shared']) },
    },
    {
      name: 'ports-point-inward',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { path: inner(['ports', 'contracts', 'domain', 'shared']) },
    },
    {
      name: 'repositories-point-inward',
      severity: 'error',
      from: { path: '^src/repositories/' },
      to: { path: inner(['repositories', 'ports', 'contracts', 'domain', 'shared']) },
    },
    {
      name: 'services-point-inward',
      severity: 'error',
      comment: 'Use cases reach the outside world through ports, never through an adapter.',
      from: { path: '^src/services/' },
      to: { path: inner(['services', 'repositories', 'ports', 'contracts', 'domain', 'shared']) },
    },
    {
      name: 'adapters-implement-ports',
      severity: 'error',
      comment: 'An adapter implements a port; it does not call use cases or run SQL through repositories.',
      from: { path: '^src/adapters/' },
      to: { path: inner(['adapters', 'ports', 'contracts', 'domain', 'shared']) },
    },
    {
      name: 'api-only-translates',
      severity: 'error',
      comment: 'Routes translate HTTP into service calls: no adapters, no repositories.',
      from: { path: '^src/api/' },
      to: { path: inner(['api', 'services', 'ports', 'contracts', 'domain', 'shared']) },
    },
    {
      name: 'lambda-runtime-below-handlers',
      severity: 'error',
      from: { path: '^src/lambda/runtime/' },
      to: { path: '^src/lambda/handlers/' },
    },
    {
      name: 'hosts-stay-apart',
      severity: 'error',
      comment: 'Lambda, the CLI and the composition root are separate entry points.',
      from: { path: '^src/(lambda|app)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'app-not-lambda',
      severity: 'error',
      from: { path: '^src/(app|cli)/' },
      to: { path: '^src/lambda/' },
    },
    {
      name: 'src-is-self-contained',
      severity: 'error',
      comment: 'The product does not import its tests, benchmarks, scripts, infrastructure or web app.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts|infra|web)/' },
    },
    {
      name: 'infra-reads-contracts-only',
      severity: 'error',
      comment: 'The CDK app shares names and shapes with the code through contracts (and domain constants), nothing else.',
      from: { path: '^infra/' },
      to: { path: '^src/(?!(contracts|domain)/)' },
    },
    {
      name: 'web-is-separate',
      severity: 'error',
      comment: 'The web app talks to the API over HTTP (web/src/api/schema.d.ts is generated from the OpenAPI document).',
      from: { path: '^web/src/' },
      to: { path: '^(src|infra|scripts|test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^web/dist/|^infra/cdk\\.out/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
