// Glyphs of the map's labels: MapLibre draws text from signed distance
// fields (SDF) served as protobuf files, {fontstack}/{start}-{end}.pbf, 256
// code points a file. They are generated here at build time from Noto Sans
// (SIL Open Font License 1.1, npm @fontsource/noto-sans, WOFF files read by
// opentype.js), so that the map needs no glyph server.
//
// Each glyph is drawn at 24 px (MapLibre's ONE_EM) with a 3 px border; the
// distance field is exact: for each pixel centre, the distance to the
// flattened outline (segments), negative inside (non-zero winding, the rule
// of TrueType outlines), encoded as MapLibre expects (radius 8 px, cutoff
// 0.25: the outline is the value 191).
//
// Only the ranges French and the Latin alphabet need are generated:
// 0-255 (ASCII, Latin-1: é è à ç « » …), 256-511 (Latin Extended-A: œ Œ ÿ
// …) and 8192-8447 (General Punctuation: ’ “ ” – — … and the narrow
// no-break space). A name with a character of another range is drawn
// without that character (MapLibre asks for the missing range, gets a 404,
// and goes on).
//
//   node scripts/glyphs.mjs OUTDIR      writes OUTDIR/<stack>/<range>.pbf

import {PbfWriter as Pbf} from 'pbf';
import opentype from 'opentype.js';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {basename, dirname, join} from 'node:path';

const fontDir = join(dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans/package.json')), 'files');

export const SIZE = 24; // px, MapLibre's glyph size
export const BORDER = 3; // px around each glyph (GLYPH_PBF_BORDER)
export const RADIUS = 8; // px of distance encoded
export const CUTOFF = 0.25; // share of the radius inside the outline
export const RANGES = [0, 256, 8192];

/** The font stacks: their name in the style's text-font and their file. */
export const STACKS = [
  {name: 'Noto Sans Regular', file: 'noto-sans-latin-400-normal.woff', ext: 'noto-sans-latin-ext-400-normal.woff'},
  {name: 'Noto Sans Bold', file: 'noto-sans-latin-700-normal.woff', ext: 'noto-sans-latin-ext-700-normal.woff'},
];

function loadFont(file) {
  const buf = readFileSync(join(fontDir, file));
  return opentype.parse(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** The outline of a path as closed polylines (curves cut in straight segments). */
function flatten(commands) {
  const segs = []; // x0, y0, x1, y1, …
  let sx = 0, sy = 0, x = 0, y = 0;
  const line = (nx, ny) => {
    if (nx !== x || ny !== y) segs.push(x, y, nx, ny);
    x = nx;
    y = ny;
  };
  const steps = 8;
  for (const c of commands) {
    switch (c.type) {
      case 'M':
        if (x !== sx || y !== sy) line(sx, sy);
        sx = x = c.x;
        sy = y = c.y;
        break;
      case 'L':
        line(c.x, c.y);
        break;
      case 'Q': {
        const x0 = x, y0 = y;
        for (let i = 1; i <= steps; i++) {
          const t = i / steps, u = 1 - t;
          line(u * u * x0 + 2 * u * t * c.x1 + t * t * c.x, u * u * y0 + 2 * u * t * c.y1 + t * t * c.y);
        }
        break;
      }
      case 'C': {
        const x0 = x, y0 = y;
        for (let i = 1; i <= steps; i++) {
          const t = i / steps, u = 1 - t;
          line(
            u * u * u * x0 + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t * t * t * c.x,
            u * u * u * y0 + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t * t * t * c.y,
          );
        }
        break;
      }
      case 'Z':
        line(sx, sy);
        break;
    }
  }
  if (x !== sx || y !== sy) line(sx, sy);
  return segs;
}

/** Signed distance from (px, py) to the outline: negative inside. */
function signedDistance(segs, px, py) {
  let best = Infinity;
  let winding = 0;
  for (let i = 0; i < segs.length; i += 4) {
    const ax = segs[i], ay = segs[i + 1], bx = segs[i + 2], by = segs[i + 3];
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = ax + t * dx - px, ey = ay + t * dy - py;
    const d2 = ex * ex + ey * ey;
    if (d2 < best) best = d2;
    // Non-zero winding: crossings of the ray towards +x.
    if (ay <= py) {
      if (by > py && dx * (py - ay) - (px - ax) * dy > 0) winding++;
    } else if (by <= py && dx * (py - ay) - (px - ax) * dy < 0) {
      winding--;
    }
  }
  const d = Math.sqrt(best);
  return winding !== 0 ? -d : d;
}

/** One glyph's metrics and SDF bitmap, or null when the font lacks it. */
export function renderGlyph(font, codePoint) {
  const ch = String.fromCodePoint(codePoint);
  if (!font.hasChar(ch)) {
    // The narrow no-break space of French numbers (« 12 345 ») is missing
    // from Noto Sans' Latin files: an empty glyph of a thin space's width.
    if (codePoint !== 0x202f) return null;
    const thin = font.charToGlyph(' ');
    return {id: codePoint, width: 0, height: 0, left: 0, top: 0, advance: Math.round((thin.advanceWidth * SIZE) / font.unitsPerEm / 2), bitmap: new Uint8Array(0)};
  }
  const glyph = font.charToGlyph(ch);
  const scale = SIZE / font.unitsPerEm;
  const advance = Math.round(glyph.advanceWidth * scale);
  const ascender = Math.round(font.ascender * scale);
  const path = glyph.getPath(0, 0, SIZE); // y grows downwards
  const segs = flatten(path.commands);
  if (segs.length === 0) return {id: codePoint, width: 0, height: 0, left: 0, top: -ascender, advance, bitmap: new Uint8Array(0)};
  const bb = path.getBoundingBox();
  const left = Math.floor(bb.x1);
  const top = Math.ceil(-bb.y1); // above the baseline
  const width = Math.ceil(bb.x2) - left;
  const height = top - Math.floor(-bb.y2);
  const w = width + 2 * BORDER, h = height + 2 * BORDER;
  const bitmap = new Uint8Array(w * h);
  for (let j = 0; j < h; j++) {
    const py = -top - BORDER + j + 0.5;
    for (let i = 0; i < w; i++) {
      const px = left - BORDER + i + 0.5;
      const d = signedDistance(segs, px, py);
      const v = Math.round(255 - 255 * (d / RADIUS + CUTOFF));
      bitmap[j * w + i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  // MapLibre places "top" from an origin one ascender above the baseline
  // (FreeType's convention in the server-made glyphs).
  return {id: codePoint, width, height, left, top: top - ascender, advance, bitmap};
}

function writeGlyph(g, pbf) {
  pbf.writeVarintField(1, g.id);
  if (g.bitmap.length) pbf.writeBytesField(2, g.bitmap);
  pbf.writeVarintField(3, g.width);
  pbf.writeVarintField(4, g.height);
  pbf.writeSVarintField(5, g.left);
  pbf.writeSVarintField(6, g.top);
  pbf.writeVarintField(7, g.advance);
}

/** The protobuf of one range of one stack (glyphs.proto of the style spec). */
export function encodeRange(name, start, glyphs) {
  const pbf = new Pbf();
  pbf.writeMessage(1, (stack, p) => {
    p.writeStringField(1, name);
    p.writeStringField(2, `${start}-${start + 255}`);
    for (const g of stack) p.writeMessage(3, writeGlyph, g);
  }, glyphs);
  return pbf.finish();
}

/** Writes every stack's ranges under outDir; returns the files written. */
export function writeGlyphs(outDir) {
  const written = [];
  for (const stack of STACKS) {
    const fonts = [loadFont(stack.file), loadFont(stack.ext)];
    mkdirSync(join(outDir, stack.name), {recursive: true});
    for (const start of RANGES) {
      const glyphs = [];
      for (let cp = start; cp < start + 256; cp++) {
        for (const font of fonts) {
          const g = renderGlyph(font, cp);
          if (g) {
            glyphs.push(g);
            break;
          }
        }
      }
      const file = join(outDir, stack.name, `${start}-${start + 255}.pbf`);
      writeFileSync(file, encodeRange(stack.name, start, glyphs));
      written.push(file);
    }
  }
  return written;
}

if (basename(process.argv[1] ?? '') === 'glyphs.mjs') {
  const out = process.argv[2];
  if (!out) {
    console.error('usage : node scripts/glyphs.mjs DOSSIER');
    process.exit(2);
  }
  for (const f of writeGlyphs(out)) console.log(f);
}
