// The few things every page here needs, without a framework: building DOM from data (always as
// text, never as markup), JSON over fetch with the service's and the sandboxes' error shapes, money
// in minor units, and waiting. Plain ES module, loaded as /<page>/kit.js.

/**
 * An element with attributes, listeners (`onclick`: fn) and children. Strings become text nodes,
 * so data from an answer can never become markup; null, undefined and false children are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** Replaces an element's children. */
export function show(element, ...children) {
  element.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
}

/** `url` if it is an http(s) address (relative ones resolve against the page), else null: never a `javascript:` link. */
export function webUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * One JSON call: resolves with `{ status, ok, body, retryAfterSeconds }` for any HTTP answer
 * (errors included: the caller decides), rejects only when no answer came (network, abort).
 */
export async function callJson(method, url, { body, headers = {}, signal } = {}) {
  const response = await fetch(url, {
    method,
    signal,
    headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = { detail: text.slice(0, 200) };
  }
  const retryAfter = Number(response.headers.get('Retry-After'));
  return { status: response.status, ok: response.ok, body: parsed, retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null };
}

/** What went wrong, in one line, from problem+json (the service) or a sandbox's error body. */
export function errorText(answer) {
  const body = answer.body ?? {};
  const fields = Array.isArray(body.errors) ? body.errors.map((error) => `${error.field} ${error.message}`).join('; ') : '';
  const text = body.detail ?? body.error_description ?? body.error ?? body.title ?? `HTTP ${answer.status}`;
  return [body.code ? `${body.code}: ${text}` : text, fields].filter(Boolean).join(' — ');
}

/** `callJson` that rejects with `errorText` unless the answer is 2xx; resolves with the body. */
export async function expectJson(method, url, options) {
  const answer = await callJson(method, url, options);
  if (!answer.ok) throw new Error(errorText(answer));
  return answer.body;
}

/** Digits after the decimal point in `currency` (2 for EUR, 3 for KWD), as Intl knows them. */
export function minorDigits(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

/** `2000, 'EUR'` → `20.00`: the amount as a person types it. */
export function decimal(minor, currency) {
  const digits = minorDigits(currency);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`}`;
}

/** `2000, 'EUR'` → `20.00 EUR`. */
export function money(minor, currency) {
  return `${decimal(minor, currency)} ${currency}`;
}

/** `'20.5', 'EUR'` → 2050; null when the text is not an amount with at most the currency's decimals. */
export function toMinor(text, currency) {
  const digits = minorDigits(currency);
  const match = /^\s*(\d{1,12})(?:[.,](\d*))?\s*$/.exec(text);
  if (!match || (match[2] ?? '').length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Calls `look` every `intervalMs` until it returns something other than null/undefined; resolves with that. */
export async function until(look, intervalMs, signal) {
  for (;;) {
    const found = await look();
    if (found !== null && found !== undefined) return found;
    if (signal?.aborted) throw new Error('stopped');
    await sleep(intervalMs, signal);
  }
}
