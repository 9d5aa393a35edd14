// The first zoom of the communes in the territories' tiles, read from
// their TileJSON, and the hint the dashboard map shows below it: at
// national scale the tile set leaves the communes out of low-zoom tiles,
// where thousands of them would be a few pixels wide.

import type {TileJSON} from '../api.ts';
import {tileLevel, type Level} from './state.ts';

/** The first zoom of the communes layer in a TileJSON (its vector_layers
 * entry, else the source's minzoom; 0 when neither says). */
export function communesMinZoom(tj: TileJSON): number {
  const layer = tj.vector_layers?.find((l) => l.id === 'communes');
  return layer?.minzoom ?? tj.minzoom ?? 0;
}

/** The hint shown over the map when the chosen level is not drawn at this
 * zoom, null otherwise. */
export function zoomHint(level: Level, zoom: number, communesFrom: number): string | null {
  // MapLibre loads the tiles of the floor of the zoom.
  return tileLevel(level) === 'commune' && Math.floor(zoom) < communesFrom ? 'Zoomez pour afficher les communes' : null;
}
