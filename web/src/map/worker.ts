// MapLibre's worker, started as soon as the bundle runs (prewarm) rather
// than when the first map is created: it used to be asked for only after
// the TileJSON answers, 2.6 s into a throttled phone load, and took 0.9 s
// more. Its script is not preloaded by index.html: on a slow link it would
// share the bandwidth with the bundle, which is needed first (and the
// worker's script compiles while it streams in).

import {prewarm, setWorkerUrl} from 'maplibre-gl';

/** URL of MapLibre's worker, copied beside the bundle by the build. */
declare const __MAPLIBRE_WORKER__: string;

let started: Promise<void> | null = null;

/** Starts MapLibre's worker once; resolves when maps may be created. */
export function startWorker(): Promise<void> {
  started ??= (async () => {
    setWorkerUrl(new URL(__MAPLIBRE_WORKER__, window.location.href).href);
    prewarm();
  })();
  return started;
}
