// A real S3-compatible server for tests: s3rver (files in a temporary folder) on
// a free port of 127.0.0.1, with one empty bucket created through the AWS SDK
// the way an operator would. `env` holds the MEDIA_STORAGE=s3 settings that
// point Harbinger at it; `stop()` closes the server and removes its folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

/** The part of s3rver (which ships no types) that the tests use. */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: { port: number; address: string; directory: string; silent: boolean }) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

/** s3rver accepts any credentials whose key is S3RVER; these are its documented defaults. */
const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';
const REGION = 'us-east-1';

export interface TestS3 {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** Where anonymous readers fetch public pictures: the bucket's public/ prefix. */
  publicUrl: string;
  /** MEDIA_STORAGE=s3 and the S3_* variables for loadConfig() or a child process. */
  env: Record<string, string>;
  /** A client on the same server, to look into the bucket from a test. */
  client: S3Client;
  stop(): Promise<void>;
}

/** Starts s3rver on a free port with an empty bucket (named `bucket`, default "harbinger-media"). */
export async function startS3(bucket = 'harbinger-media'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'harbinger-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const publicUrl = `${endpoint}/${bucket}/public`;
  return {
    endpoint,
    bucket,
    publicUrl,
    env: {
      MEDIA_STORAGE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: REGION,
      S3_ACCESS_KEY_ID: ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      S3_PUBLIC_URL: publicUrl,
      S3_FORCE_PATH_STYLE: 'true',
    },
    client,
    async stop() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
