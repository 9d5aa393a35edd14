// The embed page, /integration/carte: the public map in a compact layout
// for other sites' iframes (the server marks <body class="integration">
// and lets only the configured sites frame it, see /integration). Its URL
// takes the map's parameters plus a territory the map itself does not
// know: epci or departement. That territory restricts every place the page
// shows (the list, the tiles, the counts: urlstate's setScope) and the map
// is framed on its places.
// Links open in a new window (the site's other pages refuse frames), and
// « Ouvrir dans Cartonum » opens the full map in the same state.

import {listAllSites} from '../api.ts';
import type {Store} from '../store.ts';
import {encodeState, facetParams, setScope} from '../urlstate.ts';

export const EMBED_PATH = '/integration/carte';

/** The territory parameters only the embed page reads. */
const EXTRA = ['epci', 'departement'] as const;
const CODE: Record<(typeof EXTRA)[number], RegExp> = {epci: /^[0-9]{9}$/, departement: /^([0-9]{2}|2A|2B|97[1-6])$/};

export function isEmbedPath(path: string): boolean {
  return path.replace(/\/+$/, '') === EMBED_PATH;
}

/** The valid territory parameters of a query string, encoded ("epci=…"). */
export function embedExtra(search: string): string {
  const q = new URLSearchParams(search);
  const out = new URLSearchParams();
  for (const name of EXTRA) {
    const v = (q.get(name) ?? '').toUpperCase();
    if (CODE[name].test(v)) out.set(name, v);
  }
  return out.toString();
}

/** Bounds [w, s, e, n] of points, grown to at least ~1 km. */
export function boundsOf(points: [number, number][]): [number, number, number, number] | null {
  if (points.length === 0) return null;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  }
  const pad = 0.005;
  return [w - pad, s - pad, e + pad, n + pad];
}

export function mountEmbed(store: Store, win: Window = window): void {
  const doc = win.document;
  doc.body.classList.add('integration');
  // Every link leaves the frame: the other pages refuse to be framed.
  if (!doc.querySelector('base')) {
    const base = doc.createElement('base');
    base.target = '_blank';
    doc.head.append(base);
  }
  const open = doc.getElementById('ouvrir-cartonum') as HTMLAnchorElement | null;
  const sync = () => {
    if (!open) return;
    const q = encodeState(store.state.url);
    open.href = `${win.location.origin}/carte${q ? `?${q}` : ''}`;
  };
  sync();
  store.subscribe((s, prev) => {
    if (s.url !== prev.url) sync();
  });

  // An EPCI or a département: only its places are listed and drawn, and
  // the map is framed on them (those that match the filters), unless the
  // URL already gives a view.
  const extra = new URLSearchParams(embedExtra(win.location.search));
  setScope(extra);
  if (extra.toString() && !store.state.url.view && !store.state.url.commune) {
    void listAllSites(facetParams(store.state.url.filters))
      .then((page) => {
        const b = boundsOf(page.features.map((f) => f.geometry.coordinates));
        if (b) store.moveCamera({bbox: b});
      })
      .catch(() => {
        // Without the places, the map keeps the region's view.
      });
  }
}
