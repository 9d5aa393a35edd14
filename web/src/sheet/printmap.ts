// The small map of the orientation sheet: a MapLibre map of the project's
// own tiles (never the external basemap), drawn off screen around the
// place with its pin, waited for until idle, then kept as a PNG image so
// that the printed page does not depend on WebGL.

import {Map as MapLibreMap} from 'maplibre-gl';
import type {GeoJSONSource} from 'maplibre-gl';
import {getTileJSON} from '../api.ts';
import {countImage, pinImage, shortCount} from '../map/images.ts';
import {FOCUS, ownStyle} from '../map/style.ts';

export interface PrintMapPlace {
  lon: number;
  lat: number;
  franceServices: boolean;
}

/** Size of the image in CSS pixels (about 80 × 60 mm on paper). */
export const MAP_SIZE = {width: 480, height: 360};

/** Draws the map and resolves with its PNG data URL; rejects after
 * timeoutMs when the tiles do not come. */
export async function printMapImage(place: PrintMapPlace, timeoutMs = 10000): Promise<string> {
  const [territories, sites] = await Promise.all([
    getTileJSON('departements,epci,communes', new URLSearchParams()),
    getTileJSON('sites', new URLSearchParams()),
  ]);
  const host = document.createElement('div');
  host.className = 'carte-impression-source';
  host.setAttribute('aria-hidden', 'true');
  host.style.width = `${MAP_SIZE.width}px`;
  host.style.height = `${MAP_SIZE.height}px`;
  document.body.append(host);
  const ratio = 2;
  const map = new MapLibreMap({
    container: host,
    style: ownStyle({territories, sites}),
    center: [place.lon, place.lat],
    zoom: 13.5,
    interactive: false,
    attributionControl: false,
    pixelRatio: ratio,
    fadeDuration: 0,
    canvasContextAttributes: {preserveDrawingBuffer: true},
  });
  map.setMissingStyleImageResolver((id) => {
    if (id === 'epingle' || id === 'epingle-fs') map.addImage(id, pinImage(id === 'epingle-fs', ratio), {pixelRatio: ratio});
    else if (id.startsWith('nombre:')) map.addImage(id, countImage(shortCount(Number(id.slice(7))), ratio), {pixelRatio: ratio});
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = window.setTimeout(() => reject(new Error('la carte ne s’est pas chargée à temps')), timeoutMs);
      map.once('load', () => {
        map.getSource<GeoJSONSource>(FOCUS)?.setData({
          type: 'FeatureCollection',
          features: [{type: 'Feature', geometry: {type: 'Point', coordinates: [place.lon, place.lat]}, properties: {role: 'selected', france_services: place.franceServices}}],
        });
        map.once('idle', () => {
          window.clearTimeout(timer);
          resolve(map.getCanvas().toDataURL('image/png'));
        });
      });
      map.on('error', () => {}); // a missing tile leaves a blank area, not a failure
    });
  } finally {
    map.remove();
    host.remove();
  }
}
