// The application shell: shows the page of the current route, keeps the
// title and the navigation's aria-current in step, and moves the focus to
// the page's heading after a navigation.

import type {Route, Store} from './store.ts';
import {ROUTES, SITE_NAME} from './router.ts';

export interface Page {
  route: Route;
  element: HTMLElement;
  heading: HTMLElement;
  /** Called when the page becomes visible (e.g. to resize the map). */
  onShow?: () => void;
}

export function mountShell(store: Store, pages: Page[], nav: HTMLElement): void {
  const show = (route: Route, focus: boolean) => {
    for (const p of pages) {
      const visible = p.route === route;
      p.element.hidden = !visible;
      if (visible) {
        p.onShow?.();
        if (focus) p.heading.focus();
      }
    }
    // Skip links to the parts of the page shown.
    for (const li of document.querySelectorAll<HTMLElement>('.fr-skiplinks [data-page]')) {
      li.hidden = li.dataset['page'] !== route;
    }
    for (const a of nav.querySelectorAll<HTMLAnchorElement>('a[data-route]')) {
      if (a.dataset['route'] === route) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `${ROUTES[route].title} — ${SITE_NAME}`;
  };
  store.subscribe((s, prev) => {
    if (s.route !== prev.route) show(s.route, true);
  });
  show(store.state.route, false);
}
