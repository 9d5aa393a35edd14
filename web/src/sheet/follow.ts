// The list of places is the keyboard and screen reader equivalent of the
// map's pins (index.html says so to assistive technologies): when a place
// of the list receives the focus, the list highlights it on the map (the
// store's hover) and here the map moves to show it when it is out of view.

import type {PlacePoint, Store} from '../store.ts';
import type {View} from '../urlstate.ts';

/** Pixel offset of a point from the view's centre (Web Mercator, MapLibre's
 * 512-pixel tiles). */
export function offsetPx(view: View, lon: number, lat: number): [number, number] {
  const size = 512 * 2 ** view.zoom;
  const x = (l: number) => ((l + 180) / 360) * size;
  const y = (φ: number) => {
    const r = (Math.max(-85, Math.min(85, φ)) * Math.PI) / 180;
    return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * size;
  };
  return [x(lon) - x(view.lon), y(lat) - y(view.lat)];
}

/** Whether a point lies inside a map of width × height centred on view,
 * with a margin in pixels. */
export function inView(view: View, width: number, height: number, lon: number, lat: number, margin = 40): boolean {
  const [dx, dy] = offsetPx(view, lon, lat);
  return Math.abs(dx) <= width / 2 - margin && Math.abs(dy) <= height / 2 - margin;
}

export function followFocusedPlace(store: Store, list: HTMLElement, map: HTMLElement): void {
  list.addEventListener('focusin', (e) => {
    if (!(e.target as Element).closest('li[data-index]')) return;
    // The list sets the hovered place in its own focusin listener.
    window.setTimeout(() => {
      const p: PlacePoint | null = store.state.hover;
      const view = store.state.url.view;
      if (!p || !list.contains(document.activeElement)) return;
      if (view && inView(view, map.clientWidth, map.clientHeight, p.lon, p.lat)) return;
      store.moveCamera({center: [p.lon, p.lat], zoom: Math.max(view?.zoom ?? 13, 12)});
    }, 0);
  });
}
