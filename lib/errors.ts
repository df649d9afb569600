/** Errors the HTTP layer knows how to answer; anything else is a bug and answers 500. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: FieldProblem[]) {
    super(400, 'bad_request', message, details);
  }
}

/** No API key, or not the one in API_KEY. The message says how to send it, never what it is. */
export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super(401, 'unauthorized', message, { accepted: ['Authorization: Bearer <API_KEY>', 'x-api-key: <API_KEY>'] });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

/** The path exists, the method does not; `allow` becomes the Allow header. */
export class MethodNotAllowedError extends AppError {
  constructor(
    message: string,
    readonly allow: string[],
  ) {
    super(405, 'method_not_allowed', message, { allow });
  }
}

/** The dataset file itself is unusable (not JSON, not an array). Nothing is written. */
export class DatasetError extends AppError {
  constructor(message: string, details?: unknown) {
    super(422, 'dataset_invalid', message, details);
  }
}

/** A request body over the configured cap; nothing of it was written. */
export class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number, bytes: number | undefined, variable: string) {
    super(
      413,
      'payload_too_large',
      `The upload is larger than ${variable}=${maxBytes} bytes${bytes === undefined ? '' : ` (${bytes} bytes)`}; nothing was written. Split the file, or set ${variable} (see docs/api.md, "Uploads").`,
      { max_bytes: maxBytes, ...(bytes === undefined ? {} : { bytes }) },
    );
  }
}

/** A dependency (Elasticsearch, model files, the dataset path) is down or missing; `hint` says what to do. */
export class DependencyUnavailableError extends AppError {
  constructor(dependency: string, message: string, hint: string) {
    super(503, `${dependency}_unavailable`, message, { dependency, hint });
  }
}

/** Another run holds the work this call wants (one ingest, one tagging run per task at a time). */
export class TaskBusyError extends AppError {
  constructor(work: string, running: { holder: string; description: string; acquired_at: string; expires_at: string }) {
    super(
      409,
      'task_busy',
      `A ${work} run is already in progress (${running.description}); retry when it has finished.`,
      {
        work,
        running,
      },
    );
  }
}

/** The request conflicts with the state of a resource (e.g. cancelling a job that already finished). */
export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

/** The function ran into its deadline (a dependency that hangs, or too much work for one request). */
export class FunctionTimeoutError extends AppError {
  constructor() {
    super(504, 'function_timeout', 'The request did not finish within the function timeout.', {
      hint: 'A dependency may be hanging: GET /health says which. Long tagging runs belong in a job (POST /jobs).',
    });
  }
}
