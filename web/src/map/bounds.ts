// Bounds of GeoJSON geometries (pure, tested).

import type {Geometry, Position} from 'geojson';

/** Bounds of GeoJSON geometries. */
export function boundsOf(geometries: Geometry[]): [number, number, number, number] | null {
  let b: [number, number, number, number] | null = null;
  const visit = (c: Position) => {
    const [x, y] = c as [number, number];
    if (!b) b = [x, y, x, y];
    else b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
  };
  const walk = (g: Geometry) => {
    switch (g.type) {
      case 'Point':
        visit(g.coordinates);
        break;
      case 'MultiPoint':
      case 'LineString':
        g.coordinates.forEach(visit);
        break;
      case 'MultiLineString':
      case 'Polygon':
        g.coordinates.forEach((r) => r.forEach(visit));
        break;
      case 'MultiPolygon':
        g.coordinates.forEach((p) => p.forEach((r) => r.forEach(visit)));
        break;
      case 'GeometryCollection':
        g.geometries.forEach(walk);
        break;
    }
  };
  geometries.forEach(walk);
  return b;
}

/** Metropolitan France, with Corsica. */
export const METROPOLE: [number, number, number, number] = [-5.3, 41.3, 9.7, 51.2];

/** The bounds a map frames first for data of bounds b: b, or metropolitan
 * France when b spans the overseas regions too (more than 40° of longitude
 * or latitude: a national database), which no zoom could show at once. */
export function viewBounds(b: readonly number[] | undefined | null): [number, number, number, number] | undefined {
  if (!b || b.length < 4) return undefined;
  const [w, s, e, n] = b as [number, number, number, number];
  return e - w > 40 || n - s > 40 ? METROPOLE : [w, s, e, n];
}
