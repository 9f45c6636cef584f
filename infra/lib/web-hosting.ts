import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Aws, Duration, FileSystem, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './config.js';
import { REPO_ROOT, type BundlingMode } from './functions.js';
import { acknowledge, wildcardResourceFinding } from './nag.js';

/**
 * Web hosting: the single-page app (web/dist, built by Vite) in a private S3 bucket behind a
 * CloudFront distribution, plus an `app-config.json` written at deploy time that tells the app
 * where the API and the user pool are.
 *
 * - The bucket is private (public access blocked, bucket-owner-enforced, TLS only, SSE-S3);
 *   CloudFront reads it through an Origin Access Control, and the bucket policy allows
 *   s3:GetObject to that one distribution only (`AWS:SourceArn`).
 * - `/` serves index.html; a path S3 does not have (403 without ListBucket, or 404) is answered
 *   with /index.html and 200, so the app's own routes (/search, /item/…) survive a reload.
 * - HTTP redirects to HTTPS; responses are compressed (gzip, Brotli).
 * - Caching: `/assets/*` (Vite's content-hashed files) are cached for a year, in CloudFront and in
 *   browsers (`Cache-Control: public, max-age=31536000, immutable`); everything else
 *   (index.html, app-config.json, favicon) is `no-cache`: revalidated on every load, so a deploy
 *   shows at once without invalidations. Old hashed assets are kept (no prune) so that a tab
 *   still running the previous version can load its lazy chunks.
 * - Security headers on every response: HSTS (2 years), nosniff, frame-ancestors/X-Frame-Options
 *   DENY, a strict Referrer-Policy and a Content-Security-Policy (see contentSecurityPolicy).
 * - Logs: CloudFront standard logs and the bucket's access logs go to a log bucket, kept
 *   as long as the environment's other logs.
 * - The files are copied by aws-cdk-lib's BucketDeployment (a Lambda running `aws s3 sync`) with a
 *   role of its own that holds only the S3 actions the copy needs (see deploy()).
 * - Both buckets are emptied and deleted with the stack in every environment: the app is rebuilt
 *   from git at any time, and its logs only record who loaded a static page.
 *
 * The app's origin (`https://dxxxx.cloudfront.net`) is added to the CORS origins of the HTTP API
 * and of the images bucket by the stack (collections-stack.ts). That is why the CSP names the
 * API and S3 by region-wide patterns instead of their exact hosts: the API and the bucket
 * reference the distribution (CORS), so the distribution's headers cannot reference them back
 * (CloudFormation would see a cycle). The trade-off is explained at awsConnectSources.
 *
 * Cost: S3 cents (a few MB); CloudFront's always-free tier covers 1 TB out and 10 M requests a
 * month, far above a personal collection's use; logs are cents. Price class 100 (North America,
 * Europe) keeps it to the cheapest edge locations.
 */

export interface WebHostingProps {
  readonly config: EnvironmentConfig;
  readonly bundling: BundlingMode;
  /** The built app (Vite's outDir). Default web/dist. */
  readonly distDir?: string;
}

/** What app-config.json tells the app (web/src/config.ts reads it). */
export interface WebAppSettings {
  readonly apiUrl: string;
  /** The chat-stream function URL (ends with `/`): the app streams chat there when it is set. */
  readonly chatStreamUrl?: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

export const WEB_DIST_DIR = path.join(REPO_ROOT, 'web', 'dist');
/** Vite's output folder for hashed files (build.assetsDir). */
export const ASSETS_PREFIX = 'assets';
/** The web app manifest (web/public/manifest.webmanifest), deployed with its own content type. */
export const MANIFEST_KEY = 'manifest.webmanifest';
export const APP_CONFIG_KEY = 'app-config.json';

/** What `collections:bundling=inline` deploys instead of web/dist (synth tests; never deploy it). */
export const PLACEHOLDER_INDEX =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Collections</title></head>' +
  '<body><p>Placeholder page: this stack was synthesized with collections:bundling=inline.</p></body></html>';

/**
 * The Content-Security-Policy of the app. Scripts, styles, fonts and frames: this origin only
 * (Vite emits no inline script; React sets styles through the DOM, which CSP allows). Images:
 * this origin, and blob:/data: (thumbnails are fetched with the bearer token and shown from
 * blob URLs). `connect`: where the app may send requests: the API, Cognito and the upload bucket.
 */
export function contentSecurityPolicy(connect: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`,
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/**
 * The AWS endpoints the deployed app talks to. Cognito is exact. The API and the presigned-POST
 * bucket are every API Gateway / S3 virtual host of the region: their exact hosts would make a
 * dependency cycle (see the class comment). The CSP's first line of defence, `script-src 'self'`,
 * does not depend on it; connect-src narrows where an injected script could send data, and a
 * region's API Gateway and S3 hosts are what it is narrowed to.
 */
export function awsConnectSources(region: string, urlSuffix: string = Aws.URL_SUFFIX): string[] {
  return [
    `https://cognito-idp.${region}.${urlSuffix}`,
    `https://*.execute-api.${region}.${urlSuffix}`,
    `https://*.s3.${region}.${urlSuffix}`,
    // Lambda function URLs (chat-stream): {url id}.lambda-url.{region}.on.aws.
    `https://*.lambda-url.${region}.on.aws`,
  ];
}

export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly logs: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  /** `https://{distribution domain}`: the app's origin (for CORS). */
  readonly origin: string;
  readonly url: string;
  private readonly props: WebHostingProps;
  private deployed = false;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    this.props = props;
    const { config } = props;
    const region = Stack.of(this).region;
    // The app is rebuilt from git at every deploy: nothing here needs keeping, in any environment.
    const disposable = { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };

    this.logs = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logs are delivered with an object ACL: the bucket must accept ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(config.logRetentionDays) }],
      ...disposable,
    });
    acknowledge(this.logs, [['AwsSolutions-S1', 'This is the log bucket of the web app; logging it into itself would loop.']]);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 's3/',
      ...disposable,
    });

    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Collections web app (${config.name}): CSP, HSTS and friends`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(awsConnectSources(region)), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        // The legacy XSS auditor does more harm than good; modern advice is to switch it off.
        xssProtection: { protection: false, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    // index.html, app-config.json and SPA routes: revalidated with S3 on every request (their
    // objects say no-cache). A non-zero max TTL is what lets CloudFront compress them.
    const revalidate = new cloudfront.CachePolicy(this, 'Revalidate', {
      comment: 'Collections web app: honour the origin Cache-Control, default no caching',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behavior = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      responseHeadersPolicy: this.responseHeaders,
    };
    // The installed app's Web Share Target POSTs here; its service worker answers. One that reaches
    // CloudFront (no service worker yet) is redirected into the app, which says what to do (the
    // local server does the same, src/api/web.ts). Answered at the edge: S3 never sees a POST.
    const shareTarget = new cloudfront.Function(this, 'ShareTarget', {
      comment: 'Collections: a share before the service worker is installed',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        "function handler(event) { return { statusCode: 303, statusDescription: 'See Other', headers: { location: { value: '/?shared=unavailable' }, 'cache-control': { value: 'no-store' } } }; }",
      ),
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Collections web app (${config.name})`,
      defaultRootObject: 'index.html',
      defaultBehavior: { ...behavior, cachePolicy: revalidate },
      additionalBehaviors: {
        [`${ASSETS_PREFIX}/*`]: { ...behavior, cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED },
        '/share-target': {
          ...behavior,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          functionAssociations: [{ function: shareTarget, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        },
      },
      // The app's routes are not files: serve the app and let it route.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
    });
    acknowledge(this.distribution, [
      [
        'AwsSolutions-CFR1',
        'No geo restriction: the collection owner travels and signs in from anywhere; the app holds no data, the API checks every token.',
      ],
      [
        'AwsSolutions-CFR2',
        'No WAF: a web ACL costs $5/month + $1 per rule, more than the rest of this hosting; the distribution serves static files only and the API has its own throttling.',
      ],
      [
        'AwsSolutions-CFR4',
        'The default *.cloudfront.net certificate cannot set a minimum TLS version; a custom domain with an ACM certificate (TLSv1.2_2021) is the fix once the app has a domain.',
      ],
    ]);

    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/`;
  }

  /**
   * Uploads the app and writes app-config.json. Called by the stack once the API and the user
   * pool exist (they depend on this construct's distribution for CORS, so they come later).
   *
   * BucketDeployment runs an aws-cdk-lib Lambda (the AWS CLI's `s3 sync`). It gets its own role
   * here, with the exact S3 actions the sync needs, instead of the library's default one
   * (AWSLambdaBasicExecutionRole and wildcard actions such as s3:List* and s3:DeleteObject*): the
   * library's grants go to an immutable view of the role and are dropped.
   */
  deploy(settings: WebAppSettings): s3deploy.BucketDeployment[] {
    if (this.deployed) throw new Error('WebHosting.deploy() was called twice');
    this.deployed = true;
    const { config } = this.props;

    const bundle = new s3assets.Asset(this, 'App', { path: this.appDirectory(), exclude: ['*.map'] });
    const app = s3deploy.Source.bucket(bundle.bucket, bundle.s3ObjectKey);
    const appConfig = s3deploy.Source.jsonData(APP_CONFIG_KEY, {
      apiBaseUrl: settings.apiUrl,
      ...(settings.chatStreamUrl && { chatStreamUrl: settings.chatStreamUrl }),
      auth: { mode: 'cognito', region: settings.region, userPoolId: settings.userPoolId, clientId: settings.clientId },
      uploads: 'direct',
    });

    const logGroup = new logs.LogGroup(this, 'DeployLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'DeployRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Collections (${config.name}): copies the web app into its bucket`,
    });
    logGroup.grantWrite(role);
    // The zipped sources (the app, app-config.json) in the CDK asset bucket.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bundle.bucket.arnForObjects('*')] }));
    // `aws s3 sync --delete` into the web bucket; on stack deletion the handler reads the bucket's tags.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketTagging'], resources: [this.bucket.bucketArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    const wildcards: [resource: string, reason: string][] = [
      [bundle.bucket.arnForObjects('*'), 'The CDK asset bucket holds the deployment sources under content-hash keys known only at synth.'],
      [this.bucket.arnForObjects('*'), 'The deployment writes and prunes every file of the web bucket, which holds nothing but the app.'],
      [logGroup.logGroupArn, 'Log streams of the deployment handler in its own log group (the ARN ends in :*).'],
    ];
    acknowledge(
      role,
      wildcards.flatMap(([resource, reason]) => {
        const finding = wildcardResourceFinding(role, resource);
        return finding ? [[finding, reason] as const] : [];
      }),
    );

    const common = { destinationBucket: this.bucket, role: role.withoutPolicyUpdates(), logGroup, memoryLimit: 512 };
    const assets = new s3deploy.BucketDeployment(this, 'Assets', {
      ...common,
      sources: [app],
      exclude: ['*'],
      include: [`${ASSETS_PREFIX}/*`],
      // Content-hashed names: a file never changes, so it may be cached for good.
      cacheControl: [
        s3deploy.CacheControl.setPublic(),
        s3deploy.CacheControl.maxAge(Duration.days(365)),
        s3deploy.CacheControl.immutable(),
      ],
      prune: false,
    });
    // `s3 sync` guesses each file's type from its name, by the mimetypes table of the handler's
    // Python, which need not know .webmanifest (then it goes out as binary/octet-stream): the
    // manifest is copied on its own, with the type the Web App Manifest spec registers.
    const manifest = new s3deploy.BucketDeployment(this, 'Manifest', {
      ...common,
      sources: [app],
      exclude: ['*'],
      include: [MANIFEST_KEY],
      contentType: 'application/manifest+json',
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: false,
    });
    const pages = new s3deploy.BucketDeployment(this, 'Pages', {
      ...common,
      sources: [app, appConfig],
      // An excluded key is also left alone by the prune (`s3 sync --delete` honours --exclude).
      exclude: [`${ASSETS_PREFIX}/*`, MANIFEST_KEY],
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: true,
    });
    // The handler's role is immutable to the library, so nothing orders its policy before the
    // first run: say it. And index.html names the new assets: upload it only once they are there.
    for (const deployment of [assets, manifest, pages]) deployment.node.addDependency(role, logGroup);
    pages.node.addDependency(assets, manifest);
    // The handler itself is a stack-level singleton of the library (its role is the one above).
    for (const child of Stack.of(this).node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        acknowledge(child, [
          ['AwsSolutions-L1', 'The BucketDeployment handler is an aws-cdk-lib Python function; its runtime is chosen by the library.'],
        ]);
      }
    }
    return [assets, manifest, pages];
  }

  /**
   * web/dist in a real synth (source maps are left out of the upload); in `inline` mode, or when
   * the CLI skips bundling, a placeholder page (like the functions' placeholder code), so synth
   * tests and `cdk list` need no build.
   */
  private appDirectory(): string {
    // `inline` (tests), or a CLI command that skips bundling this stack (`cdk list`): no build needed.
    if (this.props.bundling === 'inline' || !Stack.of(this).bundlingRequired) {
      const dir = FileSystem.mkdtemp('collections-web-placeholder-');
      writeFileSync(path.join(dir, 'index.html'), PLACEHOLDER_INDEX);
      return dir;
    }
    const dist = this.props.distDir ?? WEB_DIST_DIR;
    if (!existsSync(path.join(dist, 'index.html'))) {
      throw new Error(`The web app is not built (${path.relative(REPO_ROOT, dist)}/index.html is missing): run \`npm run build\` first.`);
    }
    return dist;
  }
}
