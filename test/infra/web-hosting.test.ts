import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS, type DeploymentEnv } from '../../src/contracts/aws.js';
import { loadEnvironmentConfig } from '../../infra/lib/config.js';
import { APP_CONFIG_KEY, contentSecurityPolicy, PLACEHOLDER_INDEX, WebHosting } from '../../infra/lib/web-hosting.js';
import {
  asArray,
  cdkContext,
  logicalIdOf,
  removeOutdirs,
  resource,
  resourcesOfType,
  roleStatements,
  synthesize,
  synthesizeAll,
  type Synthesized,
} from './helpers.js';

/**
 * The web app on S3 + CloudFront (infra/lib/web-hosting.ts): a private bucket read through an
 * Origin Access Control, SPA routing, HTTPS only, security headers, caching per path, the app and
 * a generated app-config.json deployed with a narrow role, and the outputs. cdk-nag's verdict on
 * all of it is nag.test.ts's (every synth here runs it too).
 */

let envs: Record<DeploymentEnv, Synthesized>;
const temp: string[] = [];
beforeAll(() => {
  envs = synthesizeAll();
});
afterAll(() => {
  removeOutdirs();
  for (const dir of temp.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6'; // AWS managed cache policy

/** A CloudFormation value as a string, with Refs and GetAtts written as `{Ref}` / `{Id.Attr}`. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
  if (v.Ref) return `{${v.Ref}}`;
  if (v['Fn::GetAtt']) return `{${v['Fn::GetAtt'].join('.')}}`;
  if (v['Fn::Sub']) return `{Sub:${v['Fn::Sub']}}`;
  return JSON.stringify(value);
}

function distributionOf(s: Synthesized) {
  return resource(s.json, s.stack.web.distribution).Properties.DistributionConfig;
}

function deployments(s: Synthesized) {
  const all = resourcesOfType(s.json, 'Custom::CDKBucketDeployment').map(([id, r]) => ({ id, ...r }));
  const assets = all.find((d) => JSON.stringify(d.Properties.Include) === '["assets/*"]')!;
  const manifest = all.find((d) => JSON.stringify(d.Properties.Include) === '["manifest.webmanifest"]')!;
  const pages = all.find((d) => d !== assets && d !== manifest)!;
  return { all, assets, manifest, pages };
}

/** The staged file of a deployment source (the assets of the cloud assembly). */
function stagedFile(s: Synthesized, objectKey: string, file: string) {
  return readFileSync(path.join(s.outdir, `asset.${objectKey.replace(/\.zip$/, '')}`, file), 'utf8');
}

describe.each(ENVIRONMENTS)('%s: web hosting', (env) => {
  it('keeps the files in a private, encrypted, TLS-only bucket that logs its access', () => {
    const s = envs[env];
    const bucket = resource(s.json, s.stack.web.bucket).Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalIdOf(s.stack.web.logs) });
    expect(bucket.WebsiteConfiguration).toBeUndefined(); // a REST origin, not a public website endpoint
    const logs = resource(s.json, s.stack.web.logs).Properties;
    expect(logs.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(logs.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(s.config.logRetentionDays);
  });

  it('lets only this distribution read the bucket (OAC, s3:GetObject, AWS:SourceArn)', () => {
    const s = envs[env];
    const [oacId, oac] = resourcesOfType(s.json, 'AWS::CloudFront::OriginAccessControl')[0]!;
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const origins = distributionOf(s).Origins;
    expect(origins).toHaveLength(1);
    expect(origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [logicalIdOf(s.stack.web.bucket), 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });

    const bucketId = logicalIdOf(s.stack.web.bucket);
    const [, policy] = resourcesOfType(s.json, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)!;
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    const allows = statements.filter((st) => st.Effect === 'Allow');
    const cloudfront = allows.filter((st) => st.Principal.Service === 'cloudfront.amazonaws.com');
    expect(cloudfront).toHaveLength(1);
    expect(cloudfront[0].Action).toBe('s3:GetObject');
    expect(flatten(cloudfront[0].Condition.StringEquals['AWS:SourceArn'])).toBe(
      `arn:{AWS::Partition}:cloudfront::{AWS::AccountId}:distribution/{${logicalIdOf(s.stack.web.distribution)}}`,
    );
    // The only other reader is aws-cdk-lib's auto-delete handler (the bucket is emptied on teardown).
    for (const st of allows.filter((x) => x !== cloudfront[0])) {
      expect(JSON.stringify(st.Principal)).toContain('CustomS3AutoDeleteObjectsCustomResourceProviderRole');
    }
    expect(statements.some((st) => st.Effect === 'Allow' && JSON.stringify(st.Principal).includes('"*"'))).toBe(false);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('serves index.html at /, answers unknown paths with the app (403/404 → /index.html 200), HTTPS only, compressed', () => {
    const d = distributionOf(envs[env]);
    expect(d.DefaultRootObject).toBe('index.html');
    expect(d.CustomErrorResponses).toEqual(
      [403, 404].map((code) => ({ ErrorCode: code, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 })),
    );
    for (const behavior of [d.DefaultCacheBehavior, ...d.CacheBehaviors]) {
      expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(behavior.Compress).toBe(true);
      // Only the share target takes a POST, and its edge function answers it (next test).
      const shareTarget = /share-target$/.test(behavior.PathPattern ?? '');
      expect(behavior.AllowedMethods, behavior.PathPattern).toEqual(shareTarget ? expect.arrayContaining(['POST']) : ['GET', 'HEAD']);
    }
    expect(d.PriceClass).toBe('PriceClass_100');
    expect(d.Logging).toMatchObject({
      Bucket: { 'Fn::GetAtt': [logicalIdOf(envs[env].stack.web.logs), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });

  it('caches /assets/* for long and revalidates everything else', () => {
    const s = envs[env];
    const d = distributionOf(s);
    expect(d.CacheBehaviors).toHaveLength(2);
    expect(d.CacheBehaviors[0]).toMatchObject({ PathPattern: 'assets/*', CachePolicyId: CACHING_OPTIMIZED });
    const policy = s.json.Resources[d.DefaultCacheBehavior.CachePolicyId.Ref]!.Properties.CachePolicyConfig;
    expect(policy).toMatchObject({ MinTTL: 0, DefaultTTL: 0 });
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
    });

    const { assets, manifest, pages } = deployments(s);
    expect(assets.Properties).toMatchObject({ Prune: false, Exclude: ['*'], Include: ['assets/*'] });
    expect(assets.Properties.SystemMetadata['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(pages.Properties).toMatchObject({ Prune: true, Exclude: ['assets/*', 'manifest.webmanifest'] });
    expect(pages.Properties.SystemMetadata['cache-control']).toBe('no-cache');
    expect(pages.DependsOn).toEqual(expect.arrayContaining([assets.id, manifest.id])); // index.html only after what it names
    // The manifest with its registered type (s3 sync would guess binary/octet-stream), never pruned by Pages.
    expect(manifest.Properties).toMatchObject({ Prune: false, Exclude: ['*'], Include: ['manifest.webmanifest'] });
    expect(manifest.Properties.SystemMetadata).toMatchObject({ 'content-type': 'application/manifest+json', 'cache-control': 'no-cache' });
  });

  it('answers a share POST at the edge with a redirect into the app (the installed app’s share target)', () => {
    const s = envs[env];
    const share = distributionOf(s).CacheBehaviors.find((b: { PathPattern: string }) => /^\/?share-target$/.test(b.PathPattern));
    expect(share).toMatchObject({ AllowedMethods: expect.arrayContaining(['POST']) });
    const [association] = share.FunctionAssociations;
    expect(association.EventType).toBe('viewer-request');
    const fn = s.json.Resources[association.FunctionARN['Fn::GetAtt'][0]]!.Properties;
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    // The function's own code, run: a 303 to the app, whatever was posted.
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (e: unknown) => Record<string, any>;
    const answer = handler({ request: { method: 'POST', uri: '/share-target', headers: {} } });
    expect(answer).toMatchObject({ statusCode: 303, headers: { location: { value: '/?shared=unavailable' } } });
  });

  it('sends security headers on every response: CSP naming the API and Cognito, HSTS, nosniff, DENY', () => {
    const s = envs[env];
    const d = distributionOf(s);
    const policyId = logicalIdOf(s.stack.web.responseHeaders);
    for (const behavior of [d.DefaultCacheBehavior, ...d.CacheBehaviors])
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const config = s.json.Resources[policyId]!.Properties.ResponseHeadersPolicyConfig;
    const security = config.SecurityHeadersConfig;
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy.ReferrerPolicy).toBe('strict-origin-when-cross-origin');

    const csp = flatten(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(security.ContentSecurityPolicy.Override).toBe(true);
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual([
      "'self'",
      'https://cognito-idp.{AWS::Region}.{AWS::URLSuffix}',
      'https://*.execute-api.{AWS::Region}.{AWS::URLSuffix}',
      'https://*.s3.{AWS::Region}.{AWS::URLSuffix}',
      'https://*.lambda-url.{AWS::Region}.on.aws',
    ]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('deploys the app and an app-config.json naming this API, user pool and app client', () => {
    const s = envs[env];
    const { all, pages } = deployments(s);
    expect(all).toHaveLength(3);
    for (const d of all) expect(d.Properties.DestinationBucketName).toEqual({ Ref: logicalIdOf(s.stack.web.bucket) });

    // inline bundling: the placeholder page instead of web/dist.
    const [appKey, configKey] = pages.Properties.SourceObjectKeys as [string, string];
    expect(stagedFile(s, appKey, 'index.html')).toBe(PLACEHOLDER_INDEX);

    let raw = stagedFile(s, configKey, APP_CONFIG_KEY);
    for (const [marker, value] of Object.entries(pages.Properties.SourceMarkers[1] as Record<string, unknown>)) {
      raw = raw.split(marker).join(flatten(value));
    }
    const appConfig = JSON.parse(raw);
    const pool = logicalIdOf(s.stack.auth.userPool);
    const client = logicalIdOf(s.stack.auth.client);
    expect(appConfig).toEqual({
      apiBaseUrl: `https://{${logicalIdOf(s.stack.api.httpApi)}}.execute-api.{AWS::Region}.{AWS::URLSuffix}/`,
      chatStreamUrl: `{${logicalIdOf(s.stack.chatStream.url)}.FunctionUrl}`,
      auth: { mode: 'cognito', region: '{AWS::Region}', userPoolId: `{${pool}}`, clientId: `{${client}}` },
      uploads: 'direct',
    });

    // The id token the app sends has aud = that client: the audience the JWT authorizer and the
    // api function (COGNITO_CLIENT_ID) check.
    const [, authorizer] = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Authorizer')[0]!;
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: client }]);
    const apiFunction = resource(s.json, s.stack.compute.functions.api.function).Properties;
    expect(apiFunction.Environment.Variables.COGNITO_CLIENT_ID).toEqual({ Ref: client });
    // What the app's sign-in uses: USER_PASSWORD_AUTH and refresh; no hosted-UI OAuth.
    const appClient = resource(s.json, s.stack.auth.client).Properties;
    expect(appClient.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']),
    );
    expect(appClient).toMatchObject({ GenerateSecret: false, EnableTokenRevocation: true, AllowedOAuthFlowsUserPoolClient: false });
    expect(appClient.CallbackURLs).toBeUndefined();
  });

  it('runs the deployment with its own role: exact S3 actions on the two buckets, its own log group', () => {
    const s = envs[env];
    const { all } = deployments(s);
    const handlerId = all[0]!.Properties.ServiceToken['Fn::GetAtt'][0];
    const handler = s.json.Resources[handlerId]!.Properties;
    const roleId = handler.Role['Fn::GetAtt'][0];
    expect(handler.Architectures).toEqual(['arm64']);
    expect(s.json.Resources[handler.LoggingConfig.LogGroup.Ref]!.Properties.RetentionInDays).toBe(s.config.logRetentionDays);
    expect(s.json.Resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();

    const statements = roleStatements(s.json, roleId);
    const byAction = Object.fromEntries(statements.flatMap((st) => asArray(st.Action).map((a) => [a, flatten(st.Resource)])));
    const bucket = `{${logicalIdOf(s.stack.web.bucket)}.Arn}`;
    expect(byAction).toEqual({
      'logs:CreateLogStream': expect.stringContaining('DeployLogs'),
      'logs:PutLogEvents': expect.stringContaining('DeployLogs'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, not a template literal
      's3:GetObject': 'arn:{AWS::Partition}:s3:::{Sub:cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}}/*',
      's3:ListBucket': bucket,
      's3:GetBucketTagging': bucket,
      's3:PutObject': `${bucket}/*`,
      's3:DeleteObject': `${bucket}/*`,
      's3:AbortMultipartUpload': `${bucket}/*`,
    });
    // The policy exists before the first deployment runs.
    const policyId = resourcesOfType(s.json, 'AWS::IAM::Policy').find(
      ([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
    )![0];
    for (const d of all) expect(d.DependsOn).toContain(policyId);
  });

  it('adds the app origin to the CORS origins of the API and of the upload bucket, and outputs the URLs', () => {
    const s = envs[env];
    const origin = `https://{${logicalIdOf(s.stack.web.distribution)}.DomainName}`;
    const api = resourcesOfType(s.json, 'AWS::ApiGatewayV2::Api')[0]![1].Properties;
    expect(api.CorsConfiguration.AllowOrigins.map(flatten)).toEqual([...s.config.corsOrigins, origin]);
    const cors = resource(s.json, s.stack.storage.bucket).Properties.CorsConfiguration.CorsRules[0];
    expect(cors.AllowedOrigins.map(flatten)).toEqual([...s.config.corsOrigins, origin]);

    const outputs = s.json.Outputs!;
    expect(flatten(outputs.WebUrl!.Value)).toBe(`${origin}/`);
    expect(outputs.WebBucketName!.Value).toEqual({ Ref: logicalIdOf(s.stack.web.bucket) });
    expect(outputs.WebDistributionId!.Value).toEqual({ Ref: logicalIdOf(s.stack.web.distribution) });
  });
});

describe('the app bundle', () => {
  const config = () => loadEnvironmentConfig({ tryGetContext: (k) => ({ ...cdkContext(), env: 'dev' })[k] }, {});
  const settings = { apiUrl: 'https://api.example.com/', region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'client' };

  it('deploys web/dist without source maps in a real (esbuild) synth', () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), 'collections-web-dist-'));
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'collections-web-cdk-'));
    temp.push(dist, outdir);
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc.js"></script>');
    writeFileSync(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(path.join(dist, 'assets', 'index-abc.js.map'), '{}');
    const stack = new Stack(new App({ outdir }), 'WebTest', { env: { region: 'eu-west-1' } });
    const web = new WebHosting(stack, 'Web', { config: config(), bundling: 'esbuild', distDir: dist });
    web.deploy(settings);
    const json = Template.fromStack(stack).toJSON();
    const key = (Object.values(json.Resources) as any[]).find((r) => r.Type === 'Custom::CDKBucketDeployment').Properties
      .SourceObjectKeys[0];
    const staged = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    expect(readdirSync(staged).sort()).toEqual(['assets', 'index.html']);
    expect(readdirSync(path.join(staged, 'assets'))).toEqual(['index-abc.js']);
  });

  it('refuses a real synth without a build, saying what to run', () => {
    const stack = new Stack(new App(), 'WebTest');
    const web = new WebHosting(stack, 'Web', {
      config: config(),
      bundling: 'esbuild',
      distDir: path.join(os.tmpdir(), 'no-such-web-dist'),
    });
    expect(() => web.deploy(settings)).toThrow(/not built.*npm run build/);
    expect(existsSync(path.join(os.tmpdir(), 'no-such-web-dist'))).toBe(false);
  });

  it('needs no build when the CLI skips bundling this stack (cdk list)', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'WebTest');
    const web = new WebHosting(stack, 'Web', {
      config: config(),
      bundling: 'esbuild',
      distDir: path.join(os.tmpdir(), 'no-such-web-dist'),
    });
    expect(() => web.deploy(settings)).not.toThrow();
  });

  it('builds the CSP from the connect sources it is given', () => {
    expect(contentSecurityPolicy(['http://127.0.0.1:9229'])).toContain("connect-src 'self' http://127.0.0.1:9229;");
  });
});

describe('one environment', () => {
  it('synthesizes with a concrete region too', () => {
    const s = synthesize('prod', { processEnv: { CDK_DEFAULT_ACCOUNT: '111122223333', CDK_DEFAULT_REGION: 'eu-west-1' } });
    const csp = flatten(
      resource(s.json, s.stack.web.responseHeaders).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
        .ContentSecurityPolicy,
    );
    expect(csp).toContain('https://cognito-idp.eu-west-1.');
  });
});
