// Test-only hook that finds the page's MapLibre maps without any code in
// the app: MapLibre's handlers and controls assign the map to their `_map`
// property; a setter on Object.prototype records each map in
// window.__cartes, then defines the property on the object as usual.
// Pass catchMaps to context.addInitScript.

/** Records the MapLibre maps of the page in window.__cartes. */
export function catchMaps() {
  Object.defineProperty(Object.prototype, '_map', {
    configurable: true,
    set(v) {
      if (v && typeof v.queryRenderedFeatures === 'function') {
        const list = (window.__cartes ??= []);
        if (!list.includes(v)) list.push(v);
      }
      Object.defineProperty(this, '_map', {value: v, writable: true, configurable: true, enumerable: true});
    },
    get() {
      return undefined;
    },
  });
}
