// Routing by URL path: /carte and /tableau-de-bord; "/" goes to /carte;
// /integration/carte is the map for other sites' iframes (the carte route
// in a compact layout, see embed/embed.ts), which keeps its own path.
// The URL (path and query) and the store are kept in step: changes of the
// store's URL state are written to the history, and back/forward read it
// back.

import {decodeDash, encodeDash} from './dashboard/state.ts';
import {EMBED_PATH, embedExtra, isEmbedPath, mountEmbed} from './embed/embed.ts';
import type {AppState, Route, Store} from './store.ts';
import {decodeState, encodeState} from './urlstate.ts';

export const ROUTES: Record<Route, {path: string; title: string}> = {
  carte: {path: '/carte', title: 'Trouver un lieu'},
  'tableau-de-bord': {path: '/tableau-de-bord', title: 'Tableau de bord'},
};

export const SITE_NAME = 'Cartonum';

/** The route of a path, null when unknown. */
export function routeOf(path: string): Route | null {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/' || p === '/carte' || p === EMBED_PATH) return 'carte';
  if (p === '/tableau-de-bord') return 'tableau-de-bord';
  return null;
}

export function urlFor(route: Route, query: string): string {
  return ROUTES[route].path + (query ? `?${query}` : '');
}

/** The URL of the current page for a state: the embed page keeps its path
 * and the territory parameters only it knows (epci, departement). */
function pageURL(route: Route, query: string, win: Window): string {
  if (route === 'carte' && isEmbedPath(win.location.pathname)) {
    const q = [embedExtra(win.location.search), query].filter(Boolean).join('&');
    return EMBED_PATH + (q ? `?${q}` : '');
  }
  return urlFor(route, query);
}

/** The query string of the current page's state. */
export function queryOf(state: Pick<AppState, 'route' | 'url' | 'dash'>): string {
  return state.route === 'carte' ? encodeState(state.url) : encodeDash(state.dash);
}

/** Keeps the browser URL and the store in step. */
export function syncHistory(store: Store, win: Window = window): void {
  if (isEmbedPath(win.location.pathname)) mountEmbed(store, win);
  // Normalise the current URL ("/" → "/carte", canonical query).
  const current = pageURL(store.state.route, queryOf(store.state), win);
  if (win.location.pathname + win.location.search !== current) {
    win.history.replaceState(null, '', current);
  }
  store.subscribe((state, prev, history) => {
    if (history === 'none') return;
    if (state.url === prev.url && state.dash === prev.dash && state.route === prev.route) return;
    const next = pageURL(state.route, queryOf(state), win);
    if (win.location.pathname + win.location.search === next) return;
    if (history === 'push') win.history.pushState(null, '', next);
    else win.history.replaceState(null, '', next);
  });
  win.addEventListener('popstate', () => {
    // A skip link (#resultats) is a history entry of its own: the state
    // has not changed, and reading it again would reload the list under
    // the keyboard user's focus.
    if (win.location.pathname + win.location.search === pageURL(store.state.route, queryOf(store.state), win)) return;
    const route = routeOf(win.location.pathname) ?? 'carte';
    if (route === 'carte') store.update({route, url: decodeState(win.location.search)}, 'none');
    else store.update({route, dash: decodeDash(win.location.search)}, 'none');
  });
}

/** Makes same-origin links with data-route navigate without reloading. */
export function interceptLinks(store: Store, root: HTMLElement): void {
  root.addEventListener('click', (ev) => {
    const a = (ev.target as Element).closest('a[data-route]');
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const route = a.getAttribute('data-route') as Route;
    if (!(route in ROUTES)) return;
    ev.preventDefault();
    if (route !== store.state.route) store.update({route}, 'push');
  });
}
