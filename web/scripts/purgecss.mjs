// Drops from the bundled stylesheet the rules whose selectors name a class
// no source uses: DSFR's core and components bring hundreds of utility and
// grid classes (483 KB raw, 44 KB brotli) of which the app uses a few.
//
// A class counts as used when it appears as a word in a source that may
// set it: the app's TypeScript and HTML (web/src, the dashboard included),
// the server-rendered pages (internal/webui/*.go), MapLibre's bundle (its
// controls' maplibregl-* classes). A word ending with "-" (a class built
// as `fr-alert--${kind}`) in the app's sources keeps every class it starts
// (MapLibre's: MAPLIBRE_PREFIXES). A selector is kept
// when all the classes it requires are used (classes inside :not() are not
// required); a rule is kept when one of its selectors is; at-rules that
// hold rules (@media, @supports, @layer, @container) are purged inside,
// the others (@font-face, @keyframes, …) kept whole. Selectors with an
// escape are kept. Conservative by construction: it can keep too much,
// and drops only what names an unused class.

import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';

/** Words of the files under dirs (recursively) whose names match ext. */
export function usedWords(sources) {
  const words = new Set();
  const read = (p) => {
    for (const m of readFileSync(p, 'utf8').matchAll(/[A-Za-z0-9_-]+/g)) words.add(m[0]);
  };
  const walk = (dir, ext) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p, ext);
      else if (ext.test(name)) read(p);
    }
  };
  for (const s of sources) {
    if (s.ext) walk(s.path, s.ext);
    else read(s.path);
  }
  return words;
}

/** Prefixes of the classes MapLibre builds from parts (its control
 * corners, its popups' and markers' anchors), which its words do not
 * spell out. The prefixes of its own words are not used: "maplibregl-"
 * would keep every control's icons. */
export const MAPLIBRE_PREFIXES = ['maplibregl-ctrl-top-', 'maplibregl-ctrl-bottom-', 'maplibregl-popup-anchor-', 'maplibregl-marker-anchor-'];

/** Index of the brace closing the one at open (strings and comments skipped). */
function closing(css, open) {
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    const c = css[i];
    if (c === '"' || c === "'") {
      for (i++; i < css.length && css[i] !== c; i++) if (css[i] === '\\') i++;
    } else if (c === '/' && css[i + 1] === '*') {
      i = css.indexOf('*/', i + 2) + 1;
      if (i === 0) return css.length;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return css.length;
}

/** Index of the first of chars at top level (outside strings and parens). */
function stop(css, from, chars) {
  let paren = 0;
  for (let i = from; i < css.length; i++) {
    const c = css[i];
    if (c === '"' || c === "'") {
      for (i++; i < css.length && css[i] !== c; i++) if (css[i] === '\\') i++;
    } else if (c === '(') paren++;
    else if (c === ')') paren--;
    else if (paren === 0 && chars.includes(c)) return i;
  }
  return css.length;
}

/** Top-level comma-separated parts of a selector list. */
function selectors(list) {
  const out = [];
  let from = 0;
  for (;;) {
    const i = stop(list, from, ',');
    out.push(list.slice(from, i));
    if (i >= list.length) return out;
    from = i + 1;
  }
}

/** Removes the :not(…) groups of a selector. */
function withoutNot(sel) {
  let out = '';
  for (let i = 0; i < sel.length; i++) {
    if (sel.startsWith(':not(', i)) {
      let depth = 0;
      for (; i < sel.length; i++) {
        if (sel[i] === '(') depth++;
        else if (sel[i] === ')' && --depth === 0) break;
      }
    } else out += sel[i];
  }
  return out;
}

/** css without the rules of unused classes: words are the used words,
 * prefixWords those whose prefixes (words ending with "-") keep classes,
 * extra more prefixes. */
export function purgeCSS(css, words, prefixWords = words, extra = []) {
  const prefixes = [...[...prefixWords].filter((w) => w.endsWith('-') && w.length >= 4), ...extra];
  const used = (cls) => words.has(cls) || prefixes.some((p) => cls.startsWith(p));
  const keepSelector = (sel) => {
    if (sel.includes('\\')) return true;
    for (const m of withoutNot(sel).matchAll(/\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)/g)) if (!used(m[1])) return false;
    return true;
  };
  const block = (text) => {
    let out = '';
    let i = 0;
    while (i < text.length) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (i >= text.length) break;
      if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        const j = end < 0 ? text.length : end + 2;
        if (text[i + 2] === '!') out += text.slice(i, j); // legal comments stay
        i = j;
        continue;
      }
      const brace = stop(text, i, '{;');
      if (text[brace] === ';' || brace >= text.length) {
        out += text.slice(i, brace + 1);
        i = brace + 1;
        continue;
      }
      const head = text.slice(i, brace);
      const end = closing(text, brace);
      const inner = text.slice(brace + 1, end);
      i = end + 1;
      if (head.startsWith('@')) {
        if (/^@(media|supports|layer|container|document)\b/.test(head)) {
          const kept = block(inner);
          if (kept.trim()) out += `${head}{${kept}}`;
        } else out += `${head}{${inner}}`;
        continue;
      }
      const kept = selectors(head).filter(keepSelector);
      if (kept.length > 0) out += `${kept.join(',')}{${inner}}`;
    }
    return out;
  };
  return block(css);
}
