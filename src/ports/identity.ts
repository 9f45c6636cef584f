/** Who is calling. Every query and object key is scoped by `userId`. */
export interface Caller {
  userId: string;
}

export interface IdentityProvider {
  readonly mode: 'local' | 'jwt';
  /** Resolves the caller from the request's Authorization header, or throws AppError(401). */
  authenticate(authorization: string | undefined): Promise<Caller>;
}
