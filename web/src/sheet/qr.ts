// A QR code as an SVG element, encoded in the browser by uqr (no network,
// no innerHTML): one path of unit squares over a white quiet zone.

import {encode} from 'uqr';

const SVG = 'http://www.w3.org/2000/svg';

/** The modules of the QR code of text (true: dark), border included. */
export function qrModules(text: string, border = 4): boolean[][] {
  return encode(text, {ecc: 'M', border}).data;
}

/** The SVG path of the dark modules ("M x y h1 v1 h-1 z" per run). */
export function qrPath(modules: boolean[][]): string {
  const parts: string[] = [];
  modules.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  });
  return parts.join('');
}

/** An <svg> image of the QR code of text, named by label. */
export function qrSVG(text: string, label: string): SVGSVGElement {
  const modules = qrModules(text);
  const n = modules.length;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${n} ${n}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('class', 'qr');
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', String(n));
  bg.setAttribute('height', String(n));
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', qrPath(modules));
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}
