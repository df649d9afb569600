import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The Elasticsearch connection settings, named as the official client names them (node, auth.apiKey,
 * auth.username/password, tls.ca, caFingerprint, cloud.id). Part of lib/config.ts; its own file because the
 * combinations need their own checks.
 */

const DEFAULT_URL = 'http://127.0.0.1:9200';

const nodeList = z
  .string()
  .transform((v) => v.split(',').map((u) => u.trim()))
  .pipe(
    z
      .array(z.url('must be a URL such as http://127.0.0.1:9200 (several: comma-separated)'))
      .min(1)
      .refine((urls) => urls.every((u) => /^https?:\/\//.test(u)), 'every node must be an http:// or https:// URL'),
  );

/**
 * SHA-256 of the CA certificate, as `openssl x509 -fingerprint -sha256` prints it (colons and case optional);
 * kept as the client compares it: upper case, colon-separated.
 */
const fingerprint = z
  .string()
  .transform((v) =>
    v
      .replace(/^sha256 fingerprint=/i, '')
      .replace(/:/g, '')
      .toUpperCase(),
  )
  .pipe(z.string().regex(/^[0-9A-F]{64}$/, 'must be the SHA-256 fingerprint of the CA certificate (64 hex digits)'))
  .transform((hex) => hex.match(/../g)!.join(':'));

export const elasticsearchVariables = {
  ES_URL: nodeList.optional(),
  ES_CLOUD_ID: z
    .string()
    .regex(/^[^:]*:[A-Za-z0-9+/=]+$/, 'must be an Elastic Cloud id (name:base64)')
    .optional(),
  ES_API_KEY: z.string().optional(),
  ES_USERNAME: z.string().optional(),
  ES_PASSWORD: z.string().optional(),
  ES_CA_CERT: z.string().optional(),
  ES_CA_FINGERPRINT: fingerprint.optional(),
};

type Raw = z.infer<z.ZodObject<typeof elasticsearchVariables>>;

export type EsAuth = { apiKey: string } | { username: string; password: string };

export interface EsConnection {
  /** Every node the client may send a request to (one of them, or Cloud's endpoint when cloudId is set). */
  nodes: string[];
  /** What messages show: the nodes without any credentials in them (comma-separated), or the cloud id's name. */
  url: string;
  cloudId?: string;
  auth?: EsAuth;
  /** The CA certificate's PEM text (ES_CA_CERT, read at start). */
  ca?: string;
  caFingerprint?: string;
}

/** Every problem of a combination, each naming its variables (a ConfigError lists them all). */
function combinationProblems(raw: Raw, root: string): string[] {
  const problems: string[] = [];
  const basic = raw.ES_USERNAME !== undefined || raw.ES_PASSWORD !== undefined;
  if (raw.ES_API_KEY !== undefined && basic)
    problems.push('ES_API_KEY and ES_USERNAME/ES_PASSWORD are two ways to authenticate: set only one');
  if (basic && (raw.ES_USERNAME === undefined || raw.ES_PASSWORD === undefined))
    problems.push('ES_USERNAME and ES_PASSWORD go together: set both');
  if (raw.ES_CLOUD_ID !== undefined && raw.ES_URL !== undefined)
    problems.push('ES_CLOUD_ID and ES_URL both say where Elasticsearch is: set only one');
  if (raw.ES_CLOUD_ID !== undefined && raw.ES_API_KEY === undefined && !basic)
    problems.push('ES_CLOUD_ID needs ES_API_KEY or ES_USERNAME + ES_PASSWORD');
  if (raw.ES_CA_CERT !== undefined && raw.ES_CA_FINGERPRINT !== undefined)
    problems.push('ES_CA_CERT and ES_CA_FINGERPRINT are two ways to trust the cluster: set only one');
  const tls = raw.ES_CA_CERT !== undefined || raw.ES_CA_FINGERPRINT !== undefined;
  if (tls && raw.ES_URL?.some((u) => u.startsWith('http://')))
    problems.push('ES_CA_CERT / ES_CA_FINGERPRINT apply to https:// nodes: every node in ES_URL must be https://');
  if (raw.ES_CA_CERT !== undefined) {
    const file = path.resolve(root, raw.ES_CA_CERT);
    const pem = readable(file);
    if (pem === undefined) problems.push(`ES_CA_CERT: no readable file at ${file}`);
    else if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      problems.push(`ES_CA_CERT: ${file} is not a PEM certificate (no BEGIN CERTIFICATE line)`);
  }
  return problems;
}

function readable(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** URLs as messages may show them: user and password removed. */
const withoutCredentials = (url: string) => {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
};

export function resolveConnection(raw: Raw, root: string): { connection?: EsConnection; problems: string[] } {
  const problems = combinationProblems(raw, root);
  if (problems.length) return { problems };
  const nodes = raw.ES_CLOUD_ID ? [] : (raw.ES_URL ?? [DEFAULT_URL]);
  const auth: EsAuth | undefined =
    raw.ES_API_KEY !== undefined
      ? { apiKey: raw.ES_API_KEY }
      : raw.ES_USERNAME !== undefined
        ? { username: raw.ES_USERNAME, password: raw.ES_PASSWORD! }
        : undefined;
  const connection: EsConnection = {
    nodes,
    url: raw.ES_CLOUD_ID ? `Elastic Cloud ${raw.ES_CLOUD_ID.split(':')[0]}` : nodes.map(withoutCredentials).join(', '),
    cloudId: raw.ES_CLOUD_ID,
    auth,
    ca: raw.ES_CA_CERT === undefined ? undefined : readable(path.resolve(root, raw.ES_CA_CERT)),
    caFingerprint: raw.ES_CA_FINGERPRINT,
  };
  return { connection, problems: [] };
}
