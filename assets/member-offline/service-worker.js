// The member portal's offline copies (progressive enhancement: every page works without it).
//
// It keeps ONLY the pages the server lists at /my-account/offline-pages (the member's safety plan and
// Resource and Support Plan), each time the member opens one online, plus the stylesheet, scripts and
// images every page loads, so a saved copy is readable. With no connection, a kept page is shown from the phone with a line saying
// when it was saved. Nothing else is kept: every other page still goes to the network.
//
// The service sends `Cache-Control: no-store` on every page. That stops the browser's HTTP cache, not
// the Cache API: `cache.put` stores a response whatever its caching headers (Service Worker spec,
// "Cache Objects" are not the HTTP cache: https://w3c.github.io/ServiceWorker/#cache-objects).
// Signing out clears the copies twice: the response's `Clear-Site-Data: "cache", "storage"` header,
// and the signed-out page's script (offline.js) for browsers without that header.

const CACHE = 'alongside-member-plans-v1';
// The files every page loads, none personal: kept beside the plans so a saved copy looks and works
// as it does online.
const SHELL = [
  '/app/app.css',
  '/app/init.js',
  '/app/images/alongside-logo.svg',
  '/assets/nhsuk-frontend.min.js',
  '/assets/images/favicon.svg',
  '/assets/images/favicon.ico',
];
const SIGN_IN = '/my-account/sign-in';

self.addEventListener('install', () => {
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === 'navigate' && url.pathname.startsWith('/my-plans/')) {
    event.respondWith(planPage(request, url.pathname));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(shellFile(request, url.pathname));
  }
});

// The pages the server says may be kept on this phone; none when the member is not signed in.
async function keepablePages() {
  try {
    const response = await fetch('/my-account/offline-pages', {
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!response.ok || response.redirected) {
      return [];
    }
    const body = await response.json();
    return Array.isArray(body.pages) ? body.pages : [];
  } catch {
    return [];
  }
}

async function planPage(request, path) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await cache.match(path);
    if (kept) {
      return withSavedNotice(kept);
    }
    throw error;
  }
  if (response.redirected && new URL(response.url).pathname.startsWith(SIGN_IN)) {
    // Signed out (or the session ran out) while online: nothing stays on the phone.
    await caches.delete(CACHE);
    return response;
  }
  if (response.ok && (await keepablePages()).includes(path)) {
    const body = await response.clone().text();
    const headers = new Headers(response.headers);
    headers.set('X-Saved-At', new Date().toISOString());
    await cache.put(path, new Response(body, { status: 200, headers }));
    await Promise.all(SHELL.map((file) => cache.add(file).catch(() => undefined)));
  }
  return response;
}

async function shellFile(request, path) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await (await caches.open(CACHE)).match(path);
    if (kept) {
      return kept;
    }
    throw error;
  }
}

const SAVED_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});

// "1 December 2026 at 9:40pm", as the NHS content style guide writes times.
function savedWhen(iso) {
  const parts = Object.fromEntries(SAVED_FORMAT.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  const minutes = parts.minute === '00' ? '' : `:${parts.minute}`;
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}${minutes}${(parts.dayPeriod ?? '').toLowerCase()}`;
}

async function withSavedNotice(kept) {
  const html = await kept.text();
  const notice =
    '<div class="nhsuk-inset-text" id="offline-copy"><span class="nhsuk-u-visually-hidden">Information: </span>' +
    `<p>You are offline. This is the copy saved on this phone on ${savedWhen(kept.headers.get('X-Saved-At'))}.</p></div>`;
  const page = html.replace(/(<main\b[^>]*>)/, `$1${notice}`);
  const headers = new Headers(kept.headers);
  headers.delete('Content-Length');
  return new Response(page, { status: 200, headers });
}
