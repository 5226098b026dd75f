// The node and mark types a stored document may hold: what the renderer
// (rich-text.ts) draws, what the newsroom's editor keeps of a document it loads,
// and what the fuzz tests build documents from. Small and dependency-free, so the
// editor's browser bundle can import it.

export const RICH_NODE_TYPES = [
  'doc',
  'paragraph',
  'heading',
  'blockquote',
  'bulletList',
  'orderedList',
  'listItem',
  'hardBreak',
  'horizontalRule',
  'codeBlock',
  'text',
  'figure',
] as const;

export const RICH_MARK_TYPES = ['bold', 'italic', 'strike', 'code', 'link'] as const;
