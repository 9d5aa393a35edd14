// Where the list is sorted from: the chosen commune's centre (fetched when
// the URL names a commune), the user's position or a chosen address.

import {getCommune} from './api.ts';
import type {AppState, Store} from './store.ts';

export function trackOrigin(store: Store): void {
  let abort: AbortController | null = null;
  const apply = (s: AppState, prev: AppState | null) => {
    if (prev && s.url.commune === prev.url.commune && s.url.autour === prev.url.autour && s.url.adresse === prev.url.adresse) return;
    const code = s.url.commune;
    if (code) {
      if (s.commune?.code === code) {
        if (!s.origin) store.update({origin: {lon: s.commune.centre[0], lat: s.commune.centre[1], label: s.commune.nom}});
        return;
      }
      abort?.abort();
      const a = new AbortController();
      abort = a;
      getCommune(code, a.signal)
        .then((info) => {
          if (a.signal.aborted || store.state.url.commune !== code) return;
          store.update({commune: info, origin: {lon: info.centre[0], lat: info.centre[1], label: info.nom}});
          if (!store.state.url.view) store.moveCamera({bbox: info.bbox});
        })
        .catch((err: unknown) => {
          if ((err as Error).name === 'AbortError') return;
          // Unknown commune in a shared link: forget it.
          store.updateUrl({commune: null}, 'replace', {commune: null, origin: null});
        });
      return;
    }
    abort?.abort();
    if (s.url.autour) {
      const [lon, lat] = s.url.autour;
      const label = s.url.adresse ?? 'votre position';
      if (s.origin?.lon !== lon || s.origin?.lat !== lat || s.origin?.label !== label || s.commune) store.update({commune: null, origin: {lon, lat, label}});
    } else if (s.commune || s.origin) {
      store.update({commune: null, origin: null});
    }
  };
  store.subscribe((s, prev) => apply(s, prev));
  apply(store.state, null);
}
