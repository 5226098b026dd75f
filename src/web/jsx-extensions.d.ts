// HTML attributes @kitajs/html's element types do not list yet.
declare namespace JSX {
  interface HtmlSourceTag {
    sizes?: string | undefined;
  }
  interface HtmlImageTag {
    sizes?: string | undefined;
    fetchpriority?: 'high' | 'low' | 'auto' | undefined;
  }
}
