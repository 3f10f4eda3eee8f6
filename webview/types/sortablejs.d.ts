// SortableJS ships no types; SlickGrid needs only its `create` on the global object, so that is
// all this declares (its ES module build exports the class by name as well as by default).
declare module 'sortablejs' {
  export const Sortable: { create(element: HTMLElement, options?: Record<string, unknown>): unknown };
}
