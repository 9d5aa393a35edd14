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
