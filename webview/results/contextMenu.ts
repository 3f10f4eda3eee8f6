import { el } from '../dom';

// A context menu that looks and behaves like VS Code's own: opened by right-click, Shift+F10 or the
// Menu key, driven by the arrow keys, Enter and Escape, and closed by a click elsewhere. Labels
// are plain text (cell values appear in them: "Filter by “United States”").

export type MenuEntry = { label: string; hint?: string; disabled?: boolean; run: () => void } | 'separator';

let open: { root: HTMLElement; restore?: HTMLElement | null; cleanup: () => void } | undefined;

export function closeMenu(): void {
  if (!open) return;
  const { root, restore, cleanup } = open;
  open = undefined;
  cleanup();
  root.remove();
  restore?.focus();
}

export function isMenuOpen(): boolean {
  return open !== undefined;
}

/** Shows `entries` at page coordinates (kept inside the window). */
export function showMenu(entries: MenuEntry[], x: number, y: number, label = 'Context menu'): void {
  closeMenu();
  const restore = document.activeElement as HTMLElement | null;
  const root = el('div', { class: 'menu', role: 'menu', 'aria-label': label, tabindex: -1 });
  const items: HTMLElement[] = [];
  for (const entry of entries) {
    if (entry === 'separator') {
      root.append(el('div', { class: 'menu-separator', role: 'separator' }));
      continue;
    }
    const item = el('div', { class: 'menu-item', role: 'menuitem', tabindex: -1, 'aria-disabled': entry.disabled ? 'true' : undefined });
    item.append(el('span', { class: 'menu-label' }, entry.label));
    if (entry.hint) item.append(el('span', { class: 'menu-hint' }, entry.hint));
    if (!entry.disabled) {
      item.addEventListener('click', () => {
        closeMenu();
        entry.run();
      });
      items.push(item);
    }
    item.addEventListener('mouseenter', () => item.focus());
    root.append(item);
  }
  document.body.append(root);
  // Placed after measuring, so a menu opened near an edge stays on screen.
  const { width, height } = root.getBoundingClientRect();
  root.style.left = `${Math.max(0, Math.min(x, window.innerWidth - width - 4))}px`;
  root.style.top = `${Math.max(0, Math.min(y, window.innerHeight - height - 4))}px`;

  const onKey = (e: KeyboardEvent): void => {
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') closeMenu();
    else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else if (e.key === 'Home') items[0]?.focus();
    else if (e.key === 'End') items[items.length - 1]?.focus();
    else if (e.key === 'Enter' || e.key === ' ') {
      if (i >= 0) items[i].click();
    } else if (e.key === 'Tab') closeMenu();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const onDown = (e: MouseEvent): void => {
    if (!root.contains(e.target as Node)) closeMenu();
  };
  root.addEventListener('keydown', onKey);
  // Deferred: the click that opened the menu must not close it.
  const timer = setTimeout(() => document.addEventListener('mousedown', onDown, true));
  window.addEventListener('blur', closeMenu);
  open = {
    root,
    restore,
    cleanup: () => {
      clearTimeout(timer);
      document.removeEventListener('mousedown', onDown, true);
      window.removeEventListener('blur', closeMenu);
    },
  };
  (items[0] ?? root).focus();
}
