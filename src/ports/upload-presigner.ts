/** What a client needs to send one file straight to the object store: a form POST. */
export interface UploadTicket {
  /** POST a multipart form here: every field of `fields`, then the file as `file` (last). */
  url: string;
  fields: Record<string, string>;
  expiresAt: Date;
}

export interface UploadRequest {
  key: string;
  contentType: string;
  maxBytes: number;
}

/** Signs direct uploads. Only the S3 home has one (the filesystem store cannot take a POST). */
export interface UploadPresigner {
  presign(request: UploadRequest): Promise<UploadTicket>;
}
