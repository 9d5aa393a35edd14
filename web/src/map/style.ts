// The map's style: the project's own vector tiles only (départements, EPCI,
// communes, places, the names of the territories), in sober colours
// compatible with the DSFR palette, with labels drawn from the glyphs the
// binary serves (Noto Sans, generated at build time: scripts/glyphs.mjs).

import type {
  CircleLayerSpecification,
  LayerSpecification,
  StyleSpecification,
  SymbolLayerSpecification,
  SourceSpecification,
  FilterSpecification,
  ExpressionSpecification,
} from 'maplibre-gl';
import type {TileJSON} from '../api.ts';
import {COLORS} from './images.ts';

export const TERRITORIES = 'territoires';
export const SITES = 'lieux';
export const SITES_CLIENT = 'lieux-filtres';
export const FOCUS = 'focus';
/** The communes' polygons, a source of their own on the public map. */
export const COMMUNES = 'communes';

/** The territory layers of the map's vector source, names included. */
export const TERRITORY_LAYERS = 'departements,epci,communes,libelles';
/** The public map's territory layers without the communes' polygons,
 * which come from their own source (COMMUNES) from COMMUNES_MINZOOM: at
 * the region's first view they were 114 KB of the 139 KB tile while no
 * commune outline is drawn before zoom 8. */
export const MAP_LAYERS = 'departements,epci,libelles';
export const COMMUNE_LAYERS = 'communes';
/** Zoom from which the public map loads and draws the communes' polygons. */
export const COMMUNES_MINZOOM = 8;
/** The labels' layer of the tiles (internal/tileset/labels.go). */
export const LABELS_LAYER = 'libelles';

/** Font stacks served by the binary under /glyphs (scripts/glyphs.mjs). */
export const FONT_REGULAR = ['Noto Sans Regular'];
export const FONT_BOLD = ['Noto Sans Bold'];

/** Path of the glyphs under a hash of their content (the build's
 * __GLYPHS__, cached for a year), "/glyphs" in tests run from sources. */
const GLYPHS_PATH = typeof __GLYPHS__ === 'string' ? __GLYPHS__ : '/glyphs';

/** The glyphs URL of the embedded font stacks (absolute, as MapLibre wants). */
export function glyphsURL(): string {
  const origin = typeof location === 'undefined' ? '' : location.origin;
  return `${origin}${GLYPHS_PATH}/{fontstack}/{range}.pbf`;
}

/** Fonts of the project's labels: the embedded stacks, or a base map's. */
export interface LabelFonts {
  regular: string[];
  bold: string[];
  /** Commune names are drawn (false over a base map, which has its own). */
  communes: boolean;
}

export const OWN_FONTS: LabelFonts = {regular: FONT_REGULAR, bold: FONT_BOLD, communes: true};

/**
 * The fonts of an external base map for the project's labels: its glyphs
 * server knows only its own stacks, so the labels use the stack of its
 * first symbol layer with a literal text-font (regular), and of the first
 * whose name says "Bold" (bold). Commune names are left to the base map
 * (its place names), so that a town is not named twice; EPCI and
 * département names and the places' names are added, and MapLibre's
 * collision index, shared by every symbol layer of the style, keeps them
 * from overlapping the base map's names (the project's layers, on top, are
 * placed first). Null when the base map has no text layer: no labels then.
 */
export function basemapFonts(style: {layers?: LayerSpecification[]} | undefined): LabelFonts | null {
  const stacks: string[][] = [];
  for (const l of style?.layers ?? []) {
    if (l.type !== 'symbol') continue;
    const f = (l.layout as Record<string, unknown> | undefined)?.['text-font'];
    if (Array.isArray(f) && f.length > 0 && f.every((x) => typeof x === 'string')) stacks.push(f as string[]);
  }
  const regular = stacks.find((f) => !/bold/i.test(f.join(','))) ?? stacks[0];
  if (!regular) return null;
  const bold = stacks.find((f) => /bold/i.test(f.join(','))) ?? regular;
  return {regular, bold, communes: false};
}

const PALETTE = {
  outside: '#e5e9ee',
  land: '#fbfbf8',
  commune: '#cfcfcf',
  epci: '#8c8c8c',
  departement: '#3a3a3a',
  selected: '#000091',
  halo: '#8a96a3',
  text: '#161616',
  textMuted: '#3a3a3a',
  epciText: '#5a5a5a',
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

/** Layers of the territories: land, outlines, selected commune. The
 * communes' polygons come from communesSource (TERRITORIES by default;
 * COMMUNES on the public map, whose source starts at COMMUNES_MINZOOM). */
export function territoryLayers(withLand: boolean, communesSource: string = TERRITORIES): LayerSpecification[] {
  const layers: LayerSpecification[] = [];
  if (withLand) {
    // The region in its context: a soft halo along its outer edge (the
    // land drawn next covers its inner half and the inner borders).
    layers.push({
      id: 'region-halo',
      type: 'line',
      source: TERRITORIES,
      'source-layer': 'departements',
      paint: {
        'line-color': PALETTE.halo,
        'line-width': ['interpolate', ['linear'], ['zoom'], 5, 8, 10, 18],
        'line-blur': ['interpolate', ['linear'], ['zoom'], 5, 6, 10, 14],
        'line-opacity': 0.7,
      },
    });
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
      source: communesSource,
      'source-layer': 'communes',
      filter: ['==', ['id'], -1],
      paint: {'fill-color': PALETTE.selected, 'fill-opacity': 0.07},
    },
    {
      id: 'communes-contours',
      type: 'line',
      source: communesSource,
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
      source: communesSource,
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
export function siteLayers(source: string, sourceLayer: string | null, visible: boolean, names: LabelFonts | null = null): LayerSpecification[] {
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
      // The place's name under its pin when zoomed in (dropped where it
      // would overlap another name; the pin stays).
      ...(names
        ? {
            'text-field': ['step', ['zoom'], '', PLACE_NAMES_ZOOM, ['coalesce', ['get', 'nom_affiche'], ['get', 'nom']]],
            'text-font': names.regular,
            'text-size': 12,
            'text-anchor': 'top',
            'text-offset': [0, 0.25],
            'text-max-width': 10,
            'text-optional': true,
          }
        : {}),
    },
    // Places of the neighbouring regions (kept as supply near the border)
    // are drawn faded.
    paint: {
      'icon-opacity': ['case', ['to-boolean', ['get', 'hors_region']], 0.55, 1],
      ...(names ? {'text-color': PALETTE.selected, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5} : {}),
    },
  };
  return [clusters, counts, places];
}

/** Zoom from which the places' names are drawn under their pins. */
export const PLACE_NAMES_ZOOM = 13;

/** Ids of the label layers. */
export const LABEL_LAYERS = {departements: 'libelles-departements', epci: 'libelles-epci', communes: 'libelles-communes'};

const halo = {'text-halo-color': '#ffffff', 'text-halo-width': 1.5, 'text-halo-blur': 0.5};

/**
 * The names of the territories: départements (spaced capitals, up to zoom
 * 10), EPCI (from zoom 8.5 to 11) and communes (sized by population; the
 * tiles thin them by population rank, and among those a tile holds the
 * most populated are placed first).
 */
export function labelLayers(fonts: LabelFonts): LayerSpecification[] {
  const pop: ExpressionSpecification = ['to-number', ['get', 'population'], 0];
  const layers: LayerSpecification[] = [
    {
      id: LABEL_LAYERS.epci,
      type: 'symbol',
      source: TERRITORIES,
      'source-layer': LABELS_LAYER,
      filter: ['==', ['get', 'type'], 'epci'],
      minzoom: 8.5,
      maxzoom: 11,
      layout: {
        'text-field': ['get', 'nom'],
        'text-font': fonts.regular,
        'text-size': 11,
        'text-max-width': 9,
        'text-padding': 8,
        'text-letter-spacing': 0.04,
      },
      paint: {'text-color': PALETTE.epciText, ...halo},
    },
    {
      id: LABEL_LAYERS.departements,
      type: 'symbol',
      source: TERRITORIES,
      'source-layer': LABELS_LAYER,
      filter: ['==', ['get', 'type'], 'departement'],
      maxzoom: 10,
      layout: {
        'text-field': ['get', 'nom'],
        // Regular capitals, spaced: the bold stack would cost the phone
        // another 40 KB of glyphs for five names.
        'text-font': fonts.regular,
        'text-size': ['interpolate', ['linear'], ['zoom'], 5, 11, 9, 15],
        'text-transform': 'uppercase',
        'text-letter-spacing': 0.1,
        'text-max-width': 8,
        'text-padding': 6,
      },
      paint: {'text-color': PALETTE.textMuted, 'text-opacity': 0.8, ...halo},
    },
  ];
  if (fonts.communes) {
    // First in the list, so placed last: département and EPCI names,
    // fewer, keep their place (MapLibre places the upper layers first).
    layers.unshift({
      id: LABEL_LAYERS.communes,
      type: 'symbol',
      source: TERRITORIES,
      'source-layer': LABELS_LAYER,
      filter: ['==', ['get', 'type'], 'commune'],
      layout: {
        'text-field': ['get', 'nom'],
        'text-font': fonts.regular,
        'text-size': [
          'interpolate', ['linear'], ['zoom'],
          6, ['step', pop, 10, 20000, 12, 100000, 14],
          12, ['step', pop, 12, 2000, 14, 20000, 16, 100000, 18],
        ],
        'text-max-width': 8,
        'text-padding': 3,
        // The most populated first (rank 1 is the region's largest town).
        'symbol-sort-key': ['to-number', ['get', 'rang'], 99999],
      },
      paint: {'text-color': PALETTE.text, ...halo},
    });
  }
  return layers;
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
  /** The communes' polygons as a source of their own (from
   * COMMUNES_MINZOOM); absent: they are a layer of territories. */
  communes?: TileJSON;
}

/** The full style when no external basemap is configured. */
export function ownStyle(input: StyleInput): StyleSpecification {
  const own = addOns(input);
  return {
    version: 8,
    name: 'Cartonum',
    glyphs: glyphsURL(),
    sources: own.sources,
    layers: [{id: 'fond', type: 'background', paint: {'background-color': PALETTE.outside}}, ...own.layers],
  };
}

/**
 * Sources and layers added on top of any style. fonts: the labels' font
 * stacks (the embedded ones by default); over an external base map, pass
 * basemapFonts(its style) (null: no text at all).
 */
export function addOns(input: StyleInput, withLand = true, fonts: LabelFonts | null = withLand ? OWN_FONTS : null): Pick<StyleSpecification, 'sources' | 'layers'> {
  return {
    sources: {
      [TERRITORIES]: vectorSource(input.territories),
      ...(input.communes
        ? {[COMMUNES]: {...vectorSource(input.communes), minzoom: Math.max(COMMUNES_MINZOOM, input.communes.minzoom ?? 0)} as SourceSpecification}
        : {}),
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
      ...territoryLayers(withLand, input.communes ? COMMUNES : TERRITORIES),
      ...(fonts ? labelLayers(fonts) : []),
      ...siteLayers(SITES, 'sites', true, fonts),
      ...siteLayers(SITES_CLIENT, null, false, fonts),
      ...focusLayers(),
    ],
  };
}
