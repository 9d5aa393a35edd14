// The territories' tiles read from a PMTiles archive (serve --pmtiles-url,
// an archive written by `cartonum export-tiles`), through the npm pmtiles
// protocol: the map asks pmtiles://URL/{z}/{x}/{y} and the protocol reads
// the tile with HTTP Range requests on the archive (which can sit on any
// static host or object storage, served with CORS and Range). The places
// keep coming from the server (/tiles/sites): they change with every
// accepted contribution and follow the filters. This module is a chunk of
// its own, loaded only when an archive is configured.

import {addProtocol} from 'maplibre-gl';
import {PMTiles, Protocol} from 'pmtiles';
import type {TileJSON} from '../api.ts';

/** The layers the map reads from the archive. */
export const ARCHIVE_LAYERS = ['departements', 'epci', 'communes', 'libelles'];

let protocol: Protocol | null = null;

/**
 * The TileJSON of the archive at url (its header's zooms and bounds, its
 * metadata's attribution), its tiles addressed through the pmtiles
 * protocol. Rejects when the archive cannot be read or lacks one of
 * ARCHIVE_LAYERS.
 */
export async function archiveTileJSON(url: string): Promise<TileJSON> {
  if (!protocol) {
    protocol = new Protocol();
    addProtocol('pmtiles', protocol.tile);
  }
  const archive = protocol.get(url) ?? new PMTiles(url);
  protocol.add(archive);
  const [header, metadata] = await Promise.all([archive.getHeader(), archive.getMetadata()]);
  const meta = (metadata ?? {}) as {vector_layers?: {id: string}[]; attribution?: string};
  const layers = (meta.vector_layers ?? []).map((l) => l.id);
  const missing = ARCHIVE_LAYERS.filter((l) => !layers.includes(l));
  if (missing.length > 0) throw new Error(`l'archive ${url} n'a pas les couches ${missing.join(', ')}`);
  return {
    tiles: [`pmtiles://${url}/{z}/{x}/{y}`],
    minzoom: header.minZoom,
    maxzoom: header.maxZoom,
    bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
    ...(meta.attribution ? {attribution: meta.attribution} : {}),
  };
}
