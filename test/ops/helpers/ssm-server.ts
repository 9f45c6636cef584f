import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredParameter {
  Name: string;
  Value: string;
  Type: string;
  KeyId?: string;
  Version: number;
}

export interface SsmRequest {
  target: string;
  body: Record<string, unknown>;
  authorization: string | undefined;
}

/**
 * A small Parameter Store on loopback speaking the AWS JSON 1.1 protocol the SDK uses
 * (POST /, X-Amz-Target: AmazonSSM.<Operation>): GetParameter, PutParameter,
 * GetParametersByPath (one level, pages of 2 to exercise NextToken). Values of SecureStrings
 * are returned only WithDecryption, as AWS does.
 */
export async function startSsmServer() {
  const parameters = new Map<string, StoredParameter>();
  const requests: SsmRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      requests.push({ target, body, authorization: req.headers.authorization });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'test' });
        res.end(JSON.stringify(json));
      };
      const view = (p: StoredParameter, decrypt: boolean) => ({
        Name: p.Name,
        Type: p.Type,
        Value: p.Type === 'SecureString' && !decrypt ? 'AQICAHencrypted==' : p.Value,
        Version: p.Version,
      });
      switch (target) {
        case 'AmazonSSM.PutParameter': {
          const name = String(body.Name);
          const old = parameters.get(name);
          if (old && !body.Overwrite) return send(400, { __type: 'ParameterAlreadyExists', message: 'The parameter already exists.' });
          const version = (old?.Version ?? 0) + 1;
          parameters.set(name, {
            Name: name,
            Value: String(body.Value),
            Type: String(body.Type ?? 'String'),
            ...(body.KeyId ? { KeyId: String(body.KeyId) } : {}),
            Version: version,
          });
          return send(200, { Version: version, Tier: 'Standard' });
        }
        case 'AmazonSSM.GetParameter': {
          const p = parameters.get(String(body.Name));
          if (!p) return send(400, { __type: 'ParameterNotFound', message: '' });
          return send(200, { Parameter: view(p, body.WithDecryption === true) });
        }
        case 'AmazonSSM.GetParametersByPath': {
          const path = String(body.Path);
          if (path.endsWith('/') && path !== '/') return send(400, { __type: 'ValidationException', message: 'path must not end with /' });
          const under = [...parameters.values()]
            .filter((p) => p.Name.startsWith(`${path}/`) && !p.Name.slice(path.length + 1).includes('/'))
            .sort((a, b) => a.Name.localeCompare(b.Name));
          const start = body.NextToken ? Number(body.NextToken) : 0;
          const page = under.slice(start, start + 2);
          return send(200, {
            Parameters: page.map((p) => view(p, body.WithDecryption === true)),
            ...(start + 2 < under.length && { NextToken: String(start + 2) }),
          });
        }
        default:
          return send(400, { __type: 'InvalidAction', message: `not implemented here: ${target}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    parameters,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
