/** A small fetch wrapper: same-origin session auth, CSRF header on unsafe methods, JSON both ways. */

export class ApiError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    super(typeof body.detail === 'string' ? body.detail : `request failed (${status})`);
    this.status = status;
    this.body = body;
  }
}

function cookie(name: string): string {
  const prefix = `${name}=`;
  const found = document.cookie.split('; ').find((part) => part.startsWith(prefix));
  return found ? decodeURIComponent(found.slice(prefix.length)) : '';
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const isForm = body instanceof FormData; // the browser sets a multipart type with its boundary
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRFToken'] = cookie('csrftoken');
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
  });
  if (response.status === 401 || response.status === 403) {
    if (response.status === 401 || !(await isLoggedIn())) {
      window.location.assign(`/login/?next=${encodeURIComponent(window.location.pathname)}`);
    }
  }
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : {};
  if (!response.ok) throw new ApiError(response.status, (data ?? {}) as Record<string, unknown>);
  return data as T;
}

async function isLoggedIn(): Promise<boolean> {
  const response = await fetch('/api/me/', { credentials: 'same-origin' });
  return response.ok;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body: unknown = {}) => request<T>('POST', url, body),
  put: <T>(url: string, body: unknown) => request<T>('PUT', url, body),
  patch: <T>(url: string, body: unknown) => request<T>('PATCH', url, body),
  delete: (url: string) => request<unknown>('DELETE', url),
  /** A multipart form: files and fields. */
  upload: <T>(url: string, form: FormData) => request<T>('POST', url, form),
};

/** A message for the person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
