import {test} from 'node:test';
import assert from 'node:assert/strict';
import {communesMinZoom, zoomHint} from '../src/dashboard/zoomhint.ts';

test('the first zoom of the communes comes from the TileJSON', () => {
  const tiles = ['https://exemple.fr/tiles/communes/{z}/{x}/{y}.mvt'];
  assert.equal(communesMinZoom({tiles, minzoom: 0, vector_layers: [{id: 'epci', minzoom: 0}, {id: 'communes', minzoom: 8}]}), 8);
  assert.equal(communesMinZoom({tiles, minzoom: 7}), 7, 'the source minzoom without vector_layers');
  assert.equal(communesMinZoom({tiles}), 0);
});

test('the hint asks to zoom in below the communes first zoom, at the commune level only', () => {
  assert.equal(zoomHint('commune', 6.5, 8), 'Zoomez pour afficher les communes');
  assert.equal(zoomHint('commune', 7.99, 8), 'Zoomez pour afficher les communes');
  assert.equal(zoomHint('commune', 8, 8), null);
  assert.equal(zoomHint('epci', 5, 8), null);
  assert.equal(zoomHint('departement', 5, 8), null);
  assert.equal(zoomHint('region', 5, 8), null);
  assert.equal(zoomHint('commune', 5, 5), null, 'a region keeps its communes from zoom 5');
});
