// @kitajs/html types every JSX expression as `string | Promise<string>`, since a
// component may be async. Harbinger's views are synchronous, so the few places
// that need a view's text as a string take it through `htmlOf`, which checks
// rather than casts: an async component slipping in fails loudly instead of
// sending "[object Promise]" to a reader.

export function htmlOf(view: JSX.Element): string {
  if (typeof view !== 'string') throw new TypeError('A view rendered asynchronously; views here must be synchronous.');
  return view;
}
