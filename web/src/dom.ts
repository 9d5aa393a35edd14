// Small helpers to build DOM trees. Text from the data is only ever set as
// text (textContent or text nodes), never parsed as HTML.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Creates an element; attributes whose value is false/null are skipped. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element (same rules as h). Colours and sizes go in
 * presentation attributes: the Content-Security-Policy forbids inline
 * style attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replaces the children of an element. */
export function replaceChildren(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** The element with this id, which the page must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`élément #${id} absent de la page`);
  return el as T;
}

/** Announces a message to screen readers through a live region. */
export function announce(region: HTMLElement, message: string): void {
  region.textContent = '';
  // A new text node after a tick is read even when the text repeats.
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** Wraps a table in the DSFR table markup (fr-table, wrapper, container,
 * content); classes are added to the outer fr-table element. */
export function dsfrTable(classes: string, table: HTMLTableElement): HTMLElement {
  return h(
    'div',
    {class: `fr-table ${classes}`.trim()},
    h('div', {class: 'fr-table__wrapper'}, h('div', {class: 'fr-table__container'}, h('div', {class: 'fr-table__content'}, table))),
  );
}
