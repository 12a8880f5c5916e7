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
  const form = body instanceof FormData; // a file upload: the browser writes the multipart header
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRFToken'] = cookie('csrftoken');
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
  });
  if (response.status === 401 || response.status === 403) {
    if (response.status === 401 || !(await isLoggedIn())) {
      window.location.assign(`/login/?next=${encodeURIComponent(window.location.pathname)}`);
    }
  }
  const text = await response.text();
  const data: unknown = text ? parsed(text, response.status) : {};
  if (!response.ok) throw new ApiError(response.status, (data ?? {}) as Record<string, unknown>);
  return data as T;
}

/** The JSON body; a proxy's error page (an upload refused as too large, say) becomes its status line. */
function parsed(text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: `request failed (${status})` };
  }
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
  /** POST a multipart form (files and fields). */
  upload: <T>(url: string, form: FormData) => request<T>('POST', url, form),
};

/** A message for the person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
