// The map's style: the project's own vector tiles only (départements, EPCI,
// communes, places), in sober colours compatible with the DSFR palette.

import type {
  CircleLayerSpecification,
  LayerSpecification,
  StyleSpecification,
  SymbolLayerSpecification,
  SourceSpecification,
  FilterSpecification,
} from 'maplibre-gl';
import type {TileJSON} from '../api.ts';
import {COLORS} from './images.ts';

export const TERRITORIES = 'territoires';
export const SITES = 'lieux';
export const SITES_CLIENT = 'lieux-filtres';
export const FOCUS = 'focus';

const PALETTE = {
  outside: '#e5e9ee',
  land: '#fbfbf8',
  commune: '#cfcfcf',
  epci: '#8c8c8c',
  departement: '#3a3a3a',
  selected: '#000091',
};

export function vectorSource(tj: TileJSON): SourceSpecification {
  return {
    type: 'vector',
    tiles: tj.tiles,
    minzoom: tj.minzoom ?? 0,
    maxzoom: tj.maxzoom ?? 14,
    ...(tj.bounds ? {bounds: tj.bounds} : {}),
    ...(tj.attribution ? {attribution: tj.attribution} : {}),
  };
}

/** The numeric feature id of a commune in the tiles (2A004 → 20004). */
export {communeFeatureId} from './featureids.ts';

/** Layers of the territories: land, outlines, selected commune. */
export function territoryLayers(withLand: boolean): LayerSpecification[] {
  const layers: LayerSpecification[] = [];
  if (withLand) {
    layers.push({
      id: 'terre',
      type: 'fill',
      source: TERRITORIES,
      'source-layer': 'departements',
      paint: {'fill-color': PALETTE.land},
    });
  }
  layers.push(
    {
      id: 'commune-choisie-fond',
      type: 'fill',
      source: TERRITORIES,
      'source-layer': 'communes',
      filter: ['==', ['id'], -1],
      paint: {'fill-color': PALETTE.selected, 'fill-opacity': 0.07},
    },
    {
      id: 'communes-contours',
      type: 'line',
      source: TERRITORIES,
      'source-layer': 'communes',
      minzoom: 8,
      paint: {'line-color': PALETTE.commune, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.4, 12, 1]},
    },
    {
      id: 'epci-contours',
      type: 'line',
      source: TERRITORIES,
      'source-layer': 'epci',
      minzoom: 6,
      paint: {
        'line-color': PALETTE.epci,
        'line-width': ['interpolate', ['linear'], ['zoom'], 6, 0.6, 12, 1.6],
        'line-dasharray': [3, 2],
      },
    },
    {
      id: 'departements-contours',
      type: 'line',
      source: TERRITORIES,
      'source-layer': 'departements',
      paint: {
        'line-color': PALETTE.departement,
        'line-width': ['interpolate', ['linear'], ['zoom'], 5, 1, 12, 2.5],
        'line-opacity': 0.75,
      },
    },
    {
      id: 'commune-choisie-contour',
      type: 'line',
      source: TERRITORIES,
      'source-layer': 'communes',
      filter: ['==', ['id'], -1],
      paint: {'line-color': PALETTE.selected, 'line-width': 2.5},
    },
  );
  return layers;
}

const isCluster: FilterSpecification = ['has', 'point_count'];
const isPlace: FilterSpecification = ['!', ['has', 'point_count']];

/** Layer ids of the places drawn from one source. */
export function siteLayerIds(source: string): {clusters: string; counts: string; places: string} {
  return {clusters: `${source}-regroupements`, counts: `${source}-nombres`, places: `${source}-lieux`};
}

/** Clusters (circle and count) and places (pins) of one source. */
export function siteLayers(source: string, sourceLayer: string | null, visible: boolean): LayerSpecification[] {
  const ids = siteLayerIds(source);
  const common = {source, ...(sourceLayer ? {'source-layer': sourceLayer} : {})};
  const visibility = visible ? 'visible' : 'none';
  const clusters: CircleLayerSpecification = {
    id: ids.clusters,
    type: 'circle',
    ...common,
    filter: isCluster,
    layout: {visibility},
    paint: {
      // Only France Services: red; some France Services: red ring.
      'circle-color': ['case', ['>=', ['to-number', ['get', 'france_services'], 0], ['get', 'point_count']], COLORS.franceServices, COLORS.cluster],
      'circle-opacity': 0.9,
      'circle-radius': ['step', ['get', 'point_count'], 13, 10, 16, 50, 20, 200, 25],
      'circle-stroke-color': ['case', ['>', ['to-number', ['get', 'france_services'], 0], 0], COLORS.franceServices, COLORS.halo],
      'circle-stroke-width': ['case', ['>', ['to-number', ['get', 'france_services'], 0], 0], 3, 2],
    },
  };
  const counts: SymbolLayerSpecification = {
    id: ids.counts,
    type: 'symbol',
    ...common,
    filter: isCluster,
    layout: {
      visibility,
      'icon-image': ['concat', 'nombre:', ['to-string', ['get', 'point_count']]],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
  };
  const places: SymbolLayerSpecification = {
    id: ids.places,
    type: 'symbol',
    ...common,
    filter: isPlace,
    layout: {
      visibility,
      'icon-image': ['case', ['to-boolean', ['get', 'france_services']], 'epingle-fs', 'epingle'],
      'icon-anchor': 'bottom',
      'icon-allow-overlap': true,
      'symbol-sort-key': ['case', ['to-boolean', ['get', 'france_services']], 1, 0],
    },
    // Places of the neighbouring regions (kept as supply near the border)
    // are drawn faded.
    paint: {'icon-opacity': ['case', ['to-boolean', ['get', 'hors_region']], 0.55, 1]},
  };
  return [clusters, counts, places];
}

/** The hovered and selected places, drawn above everything. */
export function focusLayers(): LayerSpecification[] {
  return [
    {
      id: 'focus-halo',
      type: 'circle',
      source: FOCUS,
      paint: {
        'circle-radius': ['case', ['==', ['get', 'role'], 'selected'], 20, 17],
        'circle-color': COLORS.focus,
        'circle-opacity': 0.55,
        'circle-stroke-color': '#161616',
        'circle-stroke-width': 2,
        'circle-translate': [0, -14],
      },
    },
    {
      id: 'focus-epingle',
      type: 'symbol',
      source: FOCUS,
      layout: {
        'icon-image': ['case', ['to-boolean', ['get', 'france_services']], 'epingle-fs', 'epingle'],
        'icon-anchor': 'bottom',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        'icon-size': 1.15,
      },
    },
  ];
}

export interface StyleInput {
  territories: TileJSON;
  sites: TileJSON;
}

/** The full style when no external basemap is configured. */
export function ownStyle(input: StyleInput): StyleSpecification {
  const own = addOns(input);
  return {
    version: 8,
    name: 'Cartonum',
    sources: own.sources,
    layers: [{id: 'fond', type: 'background', paint: {'background-color': PALETTE.outside}}, ...own.layers],
  };
}

/** Sources and layers added on top of any style. */
export function addOns(input: StyleInput, withLand = true): Pick<StyleSpecification, 'sources' | 'layers'> {
  return {
    sources: {
      [TERRITORIES]: vectorSource(input.territories),
      [SITES]: vectorSource(input.sites),
      [SITES_CLIENT]: {
        type: 'geojson',
        data: {type: 'FeatureCollection', features: []},
        cluster: true,
        clusterRadius: 40,
        clusterMaxZoom: 11,
        clusterProperties: {france_services: ['+', ['case', ['to-boolean', ['get', 'france_services']], 1, 0]]},
      },
      [FOCUS]: {type: 'geojson', data: {type: 'FeatureCollection', features: []}},
    },
    layers: [
      ...territoryLayers(withLand),
      ...siteLayers(SITES, 'sites', true),
      ...siteLayers(SITES_CLIENT, null, false),
      ...focusLayers(),
    ],
  };
}
