// Progressive enhancement only: keeps the member's safety plan and Resource and Support Plan readable
// on this phone without a connection, and removes the copies at sign-out.
const CACHE = 'alongside-member-plans-v1';

if ('serviceWorker' in navigator) {
  if (document.getElementById('member-signed-out')) {
    // Signed out: empty the saved copies and stop the offline worker (for browsers that ignore the
    // response's Clear-Site-Data header).
    if ('caches' in window) {
      void caches.delete(CACHE);
    }
    void navigator.serviceWorker
      .getRegistrations()
      .then((registrations) => Promise.all(registrations.map((r) => r.unregister())));
  } else {
    // A registration cut short (the member leaves the page at once) is tried again on the next page.
    navigator.serviceWorker
      .register('/my-account/service-worker.js', { scope: '/my-plans/' })
      .catch(() => undefined);
  }
}
