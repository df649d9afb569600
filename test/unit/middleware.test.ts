import { errors } from '@elastic/elasticsearch';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { httpHandler } from '../../lib/http/handler';
import { tweetsQuery } from '../../lib/http/schemas';

const context = { awsRequestId: 'req-1', functionName: 'test' } as Context as never;
const event = (query: Record<string, string> = {}, body?: string) =>
  ({ rawPath: '/x', queryStringParameters: query, body, requestContext: { http: { method: 'POST' } } }) as never;
const call = async (h: ReturnType<typeof httpHandler>, e: unknown) => {
  const res = (await h(e as never, context)) as { statusCode: number; body: string; headers: Record<string, string> };
  return { ...res, json: JSON.parse(res.body) };
};

describe('shared middleware', () => {
  const echo = httpHandler({ input: tweetsQuery, run: async (q) => ({ body: { limit: q.limit } }) });

  it('validates and passes the parsed input to the handler', async () => {
    const res = await call(echo, event({ limit: '5' }));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ limit: 5 });
    expect(res.headers['x-request-id']).toBe('req-1');
  });

  it('answers 400 with one detail per bad field and the request id', async () => {
    const res = await call(echo, event({ limit: 'abc', nope: '1' }));
    expect(res.statusCode).toBe(400);
    expect(res.json.error).toEqual({
      code: 'bad_request',
      message: 'limit must be a whole number between 1 and 1000; nope is not a known parameter',
      details: [
        { field: 'limit', message: 'must be a whole number between 1 and 1000' },
        { field: 'nope', message: 'is not a known parameter' },
      ],
      request_id: 'req-1',
    });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const h = httpHandler({
      input: z.object({ a: z.string().optional() }).strict(),
      source: 'query+body',
      run: async () => ({ body: {} }),
    });
    const res = await call(h, event({}, '{"a": '));
    expect(res.statusCode).toBe(400);
    expect(res.json.error.message).toBe('The request body is not valid JSON');
  });

  it('maps an unreachable Elasticsearch to 503 with what to do', async () => {
    const h = httpHandler({
      run: async () => {
        throw new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200');
      },
    });
    const res = await call(h, event());
    expect(res.statusCode).toBe(503);
    expect(res.json.error).toMatchObject({
      code: 'elasticsearch_unavailable',
      details: { hint: expect.stringContaining('es:start') },
    });
  });

  it('answers a bug with 500 and never leaks its text or stack', async () => {
    const h = httpHandler({
      run: async () => {
        throw new TypeError('secret internals at /srv/app.js:12');
      },
    });
    const res = await call(h, event());
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/secret|app\.js|TypeError/);
    expect(res.json.error).toMatchObject({ code: 'internal_error', request_id: 'req-1' });
  });
});
