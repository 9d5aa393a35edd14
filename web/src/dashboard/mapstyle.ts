// The dashboard map's style: territories coloured by feature state (one
// fill layer per level), white zones hatched, outlines, the selected
// territory, the places and the marks of the scenario and of the siting
// proposals. Only the project's tiles and GeoJSON from its API.

import type {FilterSpecification, LayerSpecification, StyleSpecification} from 'maplibre-gl';
import type {TileJSON} from '../api.ts';
import {LEVELS, tileLevel, type Level} from './state.ts';
import {SOURCE_LAYERS} from '../map/featureids.ts';
import {OWN_FONTS, SITES, TERRITORIES, glyphsURL, labelLayers, siteLayerIds, siteLayers, vectorSource} from '../map/style.ts';
import {NO_DATA} from './legend.ts';

export const WHITE_ZONES = 'zones-blanches';
export const SCENARIO = 'scenario';
export const PROPOSALS = 'propositions';

export const WHITE_ZONES_LAYER = 'zones-blanches-hachures';
/** Dashed outline of the white cells that are not certain (near the
 * region's edge, no data beyond). */
export const UNCERTAIN_LAYER = 'zones-blanches-incertaines';
export const SCENARIO_LAYER = 'scenario-marques';
export const PROPOSALS_LAYER = 'propositions-marques';

/** Layer ids of a level (the regions are drawn by the départements'). */
export function levelLayers(l: Level): {fill: string; hover: string; casing: string; selection: string; changed: string} {
  const level = tileLevel(l);
  return {fill: `choro-${level}`, hover: `survol-${level}`, casing: `selection-fond-${level}`, selection: `selection-${level}`, changed: `scenario-modifie-${level}`};
}

/** Pins of the places, minus those removed in the scenario. */
export function placesFilter(removed: string[]): FilterSpecification {
  const isPlace: FilterSpecification = ['!', ['has', 'point_count']];
  if (removed.length === 0) return isPlace;
  return ['all', isPlace, ['!', ['in', ['get', 'id'], ['literal', removed]]]];
}

const EMPTY = {type: 'FeatureCollection' as const, features: []};

export function dashboardStyle(territories: TileJSON, sites: TileJSON): StyleSpecification {
  const layers: LayerSpecification[] = [
    {id: 'fond', type: 'background', paint: {'background-color': '#e5e9ee'}},
    {id: 'terre', type: 'fill', source: TERRITORIES, 'source-layer': 'departements', paint: {'fill-color': '#fbfbf8'}},
  ];
  for (const level of LEVELS) {
    layers.push({
      id: levelLayers(level).fill,
      type: 'fill',
      source: TERRITORIES,
      'source-layer': SOURCE_LAYERS[level],
      layout: {visibility: 'none'},
      paint: {'fill-color': NO_DATA, 'fill-opacity': 0.88},
    });
  }
  layers.push(
    {
      id: WHITE_ZONES_LAYER,
      type: 'fill',
      source: WHITE_ZONES,
      layout: {visibility: 'none'},
      // Uncertain cells (near the region's edge, no data beyond): fainter.
      paint: {'fill-pattern': 'hachures', 'fill-opacity': ['case', ['boolean', ['get', 'incertain'], false], 0.35, 0.85]},
    },
    {
      id: UNCERTAIN_LAYER,
      type: 'line',
      source: WHITE_ZONES,
      filter: ['boolean', ['get', 'incertain'], false],
      layout: {visibility: 'none'},
      paint: {'line-color': '#6a6a6a', 'line-width': 1, 'line-dasharray': [2, 2]},
    },
    {
      id: 'communes-contours',
      type: 'line',
      source: TERRITORIES,
      'source-layer': 'communes',
      minzoom: 8,
      paint: {'line-color': '#ffffff', 'line-opacity': 0.7, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.3, 12, 1]},
    },
    {
      id: 'epci-contours',
      type: 'line',
      source: TERRITORIES,
      'source-layer': 'epci',
      paint: {'line-color': '#4d4d4d', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 0.5, 12, 1.5], 'line-opacity': 0.8},
    },
    {
      id: 'departements-contours',
      type: 'line',
      source: TERRITORIES,
      'source-layer': 'departements',
      paint: {'line-color': '#161616', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 1, 12, 2.5]},
    },
  );
  for (const level of LEVELS) {
    const ids = levelLayers(level);
    const common = {type: 'line' as const, source: TERRITORIES, 'source-layer': SOURCE_LAYERS[level]};
    layers.push(
      {
        id: ids.hover,
        ...common,
        layout: {visibility: 'none'},
        paint: {'line-color': '#161616', 'line-width': 2, 'line-opacity': ['case', ['boolean', ['feature-state', 'survol'], false], 1, 0]},
      },
      // Territories a scenario changed (feature state "modifie").
      {
        id: ids.changed,
        ...common,
        layout: {visibility: 'none'},
        paint: {'line-color': '#000091', 'line-width': 1.5, 'line-opacity': ['case', ['boolean', ['feature-state', 'modifie'], false], 0.9, 0]},
      },
      {id: ids.casing, ...common, filter: ['==', ['id'], -1], paint: {'line-color': '#ffffff', 'line-width': 6}},
      {id: ids.selection, ...common, filter: ['==', ['id'], -1], paint: {'line-color': '#000091', 'line-width': 3}},
    );
  }
  // Names of the territories (the tiles' libelles layer, the embedded
  // glyphs), above the colours and outlines, under the places and marks.
  layers.push(...labelLayers(OWN_FONTS));
  layers.push(...siteLayers(SITES, 'sites', false), {
    id: SCENARIO_LAYER,
    type: 'symbol',
    source: SCENARIO,
    layout: {'icon-image': ['get', 'icone'], 'icon-allow-overlap': true, 'icon-ignore-placement': true},
  }, {
    id: PROPOSALS_LAYER,
    type: 'symbol',
    source: PROPOSALS,
    layout: {
      'icon-image': ['concat', 'proposition:', ['to-string', ['get', 'rank']]],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      'symbol-sort-key': ['-', 0, ['get', 'rank']],
    },
  });
  return {
    version: 8,
    name: 'Cartonum — tableau de bord',
    glyphs: glyphsURL(),
    sources: {
      [TERRITORIES]: vectorSource(territories),
      [SITES]: vectorSource(sites),
      [WHITE_ZONES]: {type: 'geojson', data: EMPTY},
      [SCENARIO]: {type: 'geojson', data: EMPTY},
      [PROPOSALS]: {type: 'geojson', data: EMPTY},
    },
    layers,
  };
}

export {siteLayerIds};
