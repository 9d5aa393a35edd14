// "Autour de moi": the list sorted from the user's position.

import {h, replaceChildren} from '../dom.ts';

export type GeolocResult = {ok: true; lon: number; lat: number} | {ok: false; message: string};

const MESSAGES: Record<number, string> = {
  1: "Vous n'avez pas autorisé l'accès à votre position. Vous pouvez rechercher une commune ou un code postal.",
  2: "Votre position n'a pas pu être déterminée. Vous pouvez rechercher une commune ou un code postal.",
  3: 'La recherche de votre position a pris trop de temps. Réessayez ou recherchez une commune.',
};

export function locate(geo: Geolocation | undefined = navigator.geolocation): Promise<GeolocResult> {
  if (!geo) {
    return Promise.resolve({ok: false, message: 'Votre navigateur ne permet pas la géolocalisation. Recherchez une commune ou un code postal.'});
  }
  return new Promise((resolve) => {
    geo.getCurrentPosition(
      (pos) => resolve({ok: true, lon: pos.coords.longitude, lat: pos.coords.latitude}),
      (err) => resolve({ok: false, message: MESSAGES[err.code] ?? MESSAGES[2]!}),
      {enableHighAccuracy: false, timeout: 15000, maximumAge: 120000},
    );
  });
}

/** Shows a DSFR alert (or clears it with an empty message). */
export function showMessage(region: HTMLElement, message: string, kind: 'info' | 'error' = 'error'): void {
  if (!message) {
    replaceChildren(region);
    return;
  }
  replaceChildren(region, h('div', {class: `fr-alert fr-alert--${kind} fr-alert--sm fr-mt-2v`}, h('p', {}, message)));
}
