import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export interface JwtClaims {
  /** Omit to mint a token without a subject. */
  sub?: string;
  aud?: string | string[];
  /** Seconds since the epoch, or a jose time span ('1h', '-5m'); default one hour from now. */
  exp?: number | string;
  [claim: string]: unknown;
}

export interface SignOptions {
  /** `iss` to write; default the issuer's own URL. */
  issuer?: string;
  /** Sign with a key the JWKS does not publish, under the published key's kid (a forgery). */
  untrustedKey?: boolean;
}

export interface JwtIssuer {
  /** `http://127.0.0.1:{port}`: what tokens carry in `iss`. */
  issuer: string;
  /** `{issuer}/.well-known/jwks.json`. */
  jwksUrl: string;
  /** The public key set, as served (for verifiers that take keys directly, e.g. cacheJwks). */
  jwks: { keys: JWK[] };
  sign(claims: JwtClaims, opts?: SignOptions): Promise<string>;
  /** How many times the JWKS was fetched (to check caching). */
  jwksRequests(): number;
  close(): Promise<void>;
}

const ALG = 'RS256';

/**
 * A stand-in identity provider on loopback: an RS256 key pair, its JWKS served over HTTP at
 * the usual well-known path, and a signer. Every call makes fresh keys, so two issuers never
 * trust each other's tokens.
 */
export async function startJwtIssuer(): Promise<JwtIssuer> {
  const kid = `test-${Math.random().toString(36).slice(2, 10)}`;
  const trusted = await generateKeyPair(ALG);
  const stranger = await generateKeyPair(ALG);
  const publicJwk = { ...(await exportJWK(trusted.publicKey)), kid, alg: ALG, use: 'sig' };
  const jwks = { keys: [publicJwk] };
  let requests = 0;

  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/jwks.json') {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    jwks,
    jwksRequests: () => requests,
    async sign(claims, opts = {}) {
      const { exp = '1h', ...rest } = claims;
      return new SignJWT(rest as JWTPayload)
        .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
        .setIssuer(opts.issuer ?? issuer)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(opts.untrustedKey ? stranger.privateKey : trusted.privateKey);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // fetch keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
