import { AppError, type ErrorCode } from '../../crm/kernel/index.ts';

/** How one platform names its transport failures (`wecom_unreachable`, `mp_unreachable_api` …). */
export interface TencentHttpErrors {
  /** Retryable: network error, timeout, HTTP 429/5xx, a body that is not JSON. */
  transport(api: string, reason: string, details?: Record<string, unknown>): AppError;
  /** Code of a non-retryable HTTP 4xx (e.g. a proxy refusing the path). */
  httpErrorCode: ErrorCode;
}

/**
 * One call to a Tencent server API (`<base>/cgi-bin/<api>?<query>`, JSON body for POST, or a
 * FormData body sent as multipart/form-data for uploads such as media/upload). Both
 * WeCom and WeChat answer HTTP 200 with `errcode` in the body for API errors, so this returns
 * the parsed body and leaves errcode handling to each platform's client; only transport-level
 * failures are thrown here.
 */
export async function callTencentApi<T extends Record<string, unknown>>(
  base: string,
  api: string,
  query: Record<string, string>,
  body: unknown,
  timeoutMs: number,
  errors: TencentHttpErrors,
): Promise<T> {
  let res: Response;
  // FormData: fetch writes the multipart body and its content-type (with the boundary) itself.
  const isForm = body instanceof FormData;
  try {
    res = await fetch(`${base}/cgi-bin/${api}?${new URLSearchParams(query).toString()}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined || isForm ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const err = e as Error;
    // `timeout`: the request may have reached the platform (a message may have been delivered).
    if (err.name === 'TimeoutError') throw errors.transport(api, `no answer within ${timeoutMs} ms`, { timeout: true });
    throw errors.transport(api, `network error: ${err.message}`);
  }
  if (!res.ok) await res.body?.cancel().catch(() => undefined);
  if (res.status === 429 || res.status >= 500) throw errors.transport(api, `HTTP ${res.status}`, { httpStatus: res.status });
  if (!res.ok) throw new AppError(errors.httpErrorCode, `${api}: HTTP ${res.status}`, { details: { api, httpStatus: res.status } });
  try {
    return (await res.json()) as T;
  } catch {
    // A proxy's HTML error page, or a cut connection: worth another try.
    throw errors.transport(api, 'response is not JSON');
  }
}
