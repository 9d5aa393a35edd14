// MapLibre's worker, started as soon as the bundle runs: index.html
// preloads its script (<link rel="preload" as="fetch">) while the bundle
// downloads, so that it does not wait for the bundle and then for the
// map's sources (it used to start 2.6 s into a throttled phone load, after
// both). The preloaded response becomes a blob: URL (CSP worker-src blob:)
// and the worker pool is created at once (prewarm).

import {prewarm, setWorkerUrl} from 'maplibre-gl';

/** URL of MapLibre's worker, copied beside the bundle by the build. */
declare const __MAPLIBRE_WORKER__: string;

let started: Promise<void> | null = null;

/** Starts MapLibre's worker once; resolves when maps may be created. */
export function startWorker(): Promise<void> {
  started ??= (async () => {
    const url = new URL(__MAPLIBRE_WORKER__, window.location.href).href;
    try {
      // Same mode and credentials as the preload, so that its response is used.
      const res = await fetch(url, {mode: 'cors', credentials: 'same-origin'});
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const blob = new Blob([await res.arrayBuffer()], {type: 'text/javascript'});
      setWorkerUrl(URL.createObjectURL(blob));
    } catch {
      // The script's own URL: the browser fetches it again.
      setWorkerUrl(url);
    }
    prewarm();
  })();
  return started;
}
