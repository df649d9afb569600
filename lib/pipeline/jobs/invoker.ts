import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DependencyUnavailableError } from '../../errors';

/** What one worker invocation does: the job's start (ingest, then its partitions) or one partition's slice. */
export type WorkerEvent = { job_id: string; step: 'start' } | { job_id: string; step: 'part'; partition: number };

/** Starts a worker without waiting for it. Lambda in production; unit tests run the worker in-process. */
export interface JobInvoker {
  invoke(event: WorkerEvent): Promise<void>;
}

/**
 * The Lambda Invoke API with InvocationType 'Event' (asynchronous: answered 202 once queued). Locally the endpoint is
 * serverless-offline's lambda port and the credentials are placeholders it ignores; on AWS the endpoint and
 * credentials are the SDK's defaults (the function's role).
 */
export class LambdaInvoker implements JobInvoker {
  private readonly client: LambdaClient;

  constructor(
    private readonly functionName: string,
    private readonly endpoint: string | undefined,
  ) {
    const local = endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
    this.client = new LambdaClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 3, ...local });
  }

  async invoke(event: WorkerEvent): Promise<void> {
    const command = new InvokeCommand({
      FunctionName: this.functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    });
    try {
      const r = await this.client.send(command);
      if (r.StatusCode !== 202 || r.FunctionError) throw new Error(`status ${r.StatusCode} ${r.FunctionError ?? ''}`);
    } catch (error) {
      throw new DependencyUnavailableError(
        'lambda',
        `Could not start the job worker ${this.functionName} at ${this.endpoint ?? 'AWS Lambda'}: ${(error as Error).message}`,
        'Locally the API must run under `npm start` (serverless-offline serves the Lambda Invoke API on LAMBDA_PORT).',
      );
    }
  }
}
