/**
 * A loopback stand-in for the three AWS JSON 1.1 services the Lambdas call besides S3:
 * Systems Manager Parameter Store (GetParametersByPath), Secrets Manager (GetSecretValue) and
 * EventBridge (PutEvents). No npm package plays them, so this is the smallest server that
 * speaks their wire protocol as the SDK (or our signed request) sends it: POST / with
 * `X-Amz-Target: <Service>.<Operation>`, `application/x-amz-json-1.1` bodies, SigV4
 * Authorization, and AWS's error shape (`{"__type", "message"}` with a 4xx). Point clients at it
 * with AWS_ENDPOINT_URL_SSM / _SECRETS_MANAGER / _EVENTBRIDGE, as the SDK reads them.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsCall {
  target: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface PutEventsEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: number;
}

export interface AwsJsonServer {
  endpoint: string;
  calls: AwsCall[];
  /** SSM parameters by full name. SecureString values are only returned decrypted when asked. */
  parameters: Map<string, { type: 'String' | 'SecureString'; value: string }>;
  /** Secrets Manager secrets by ARN (or name). */
  secrets: Map<string, string>;
  /** Every entry EventBridge accepted, in order. */
  events: PutEventsEntry[];
  /** The next `n` PutEvents entries fail as EventBridge reports it (HTTP 200, FailedEntryCount). */
  failNextEntries(n: number, errorCode?: string): void;
  callsOf(target: string): AwsCall[];
  close(): Promise<void>;
}

/** GetParametersByPath returns at most 10 per page, as SSM does. */
const SSM_PAGE = 10;

export async function startAwsJsonServer(): Promise<AwsJsonServer> {
  const calls: AwsCall[] = [];
  const parameters: AwsJsonServer['parameters'] = new Map();
  const secrets = new Map<string, string>();
  const events: PutEventsEntry[] = [];
  let failing = 0;
  let failCode = 'ThrottlingException';

  const operations: Record<string, (body: any) => { status: number; body: unknown }> = {
    'AmazonSSM.GetParametersByPath': (body) => {
      const path = String(body.Path ?? '');
      if (!path.startsWith('/')) return awsError(400, 'ValidationException', 'The parameter path must begin with /');
      const base = path === '/' ? '/' : `${path}/`;
      const names = [...parameters.keys()]
        .filter((n) => n.startsWith(base) && (body.Recursive || !n.slice(base.length).includes('/')))
        .sort();
      const start = body.NextToken ? Number(body.NextToken) : 0;
      const size = Math.min(Number(body.MaxResults ?? SSM_PAGE), SSM_PAGE);
      const page = names.slice(start, start + size);
      return {
        status: 200,
        body: {
          Parameters: page.map((name) => {
            const p = parameters.get(name)!;
            const hidden = p.type === 'SecureString' && !body.WithDecryption;
            return {
              Name: name,
              Type: p.type,
              // Without decryption SSM returns the ciphertext, never the value.
              Value: hidden ? `AQICAH${Buffer.from(name).toString('base64')}` : p.value,
              Version: 1,
              LastModifiedDate: 1796000000,
              ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`,
              DataType: 'text',
            };
          }),
          ...(start + size < names.length ? { NextToken: String(start + size) } : {}),
        },
      };
    },
    'secretsmanager.GetSecretValue': (body) => {
      const value = secrets.get(String(body.SecretId));
      if (value === undefined) return awsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return {
        status: 200,
        body: {
          ARN: body.SecretId,
          Name: String(body.SecretId).split(':').pop(),
          SecretString: value,
          VersionId: randomUUID(),
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1796000000,
        },
      };
    },
    'AWSEvents.PutEvents': (body) => {
      const entries: PutEventsEntry[] = body.Entries ?? [];
      if (entries.length < 1 || entries.length > 10) return awsError(400, 'ValidationException', 'Entries must hold 1 to 10 entries');
      let failed = 0;
      const results = entries.map((entry) => {
        if (!entry.Source || !entry.DetailType || !entry.Detail) {
          failed++;
          return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' };
        }
        JSON.parse(entry.Detail); // EventBridge refuses a Detail that is not a JSON object
        if (failing > 0) {
          failing--;
          failed++;
          return { ErrorCode: failCode, ErrorMessage: 'Rate exceeded' };
        }
        events.push(entry);
        return { EventId: randomUUID() };
      });
      return { status: 200, body: { FailedEntryCount: failed, Entries: results } };
    },
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      let body: any = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return send(res, awsError(400, 'SerializationException', 'body is not JSON'));
      }
      calls.push({ target, headers: req.headers, body });
      const signed =
        /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/[a-z]+\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/;
      if (req.method !== 'POST' || !signed.test(String(req.headers.authorization ?? ''))) {
        return send(res, awsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'));
      }
      const op = operations[target];
      if (!op) return send(res, awsError(400, 'UnknownOperationException', `unknown operation ${target}`));
      try {
        send(res, op(body));
      } catch (err) {
        send(res, awsError(400, 'ValidationException', String(err)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    parameters,
    secrets,
    events,
    failNextEntries(n, errorCode = 'ThrottlingException') {
      failing = n;
      failCode = errorCode;
    },
    callsOf: (target) => calls.filter((c) => c.target === target),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function awsError(status: number, type: string, message: string) {
  return { status, body: { __type: type, message } };
}

function send(res: import('node:http').ServerResponse, reply: { status: number; body: unknown }) {
  res.writeHead(reply.status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...(reply.status >= 300 ? { 'x-amzn-errortype': String((reply.body as { __type?: string }).__type) } : {}),
  });
  res.end(JSON.stringify(reply.body));
}
