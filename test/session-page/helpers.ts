// Reading the session page as a visitor does: the value shown for a term, on one side of the page.

const decode = (text: string) => text.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&')

/** Where each part of the page starts: the sid and csrf cookies (`__Host-` in production), and the server's side. */
const ANCHORS = { sid: 'sid</code>:', csrf: 'csrf</code>:', server: 'id="server-side"' } as const

export type Part = keyof typeof ANCHORS

/** The part of the page from its anchor to the next part. */
function partOf(html: string, part: Part): string {
  const start = html.indexOf(ANCHORS[part])
  if (start === -1) throw new Error(`the page has no ${part} part`)
  const ends = Object.values(ANCHORS)
    .map((anchor) => html.indexOf(anchor, start + 1))
    .filter((index) => index > start)
  return html.slice(start, Math.min(html.length, ...ends))
}

/** The value, note and why shown for `term` in that part of the page, markup stripped; undefined if absent. */
export function factOf(html: string, part: Part, term: string) {
  for (const item of partOf(html, part).matchAll(/<div class="facts__item">([\s\S]*?)<\/div>/g)) {
    const cells = new Map<string, string>()
    for (const [, name, text] of (item[1] ?? '').matchAll(/<(?:dt|dd class="facts__(\w+)")>([\s\S]*?)<\/d[td]>/g)) {
      cells.set(name ?? 'term', decode((text ?? '').replace(/<[^>]*>/g, '').trim()))
    }
    if (cells.get('term') === term) return { value: cells.get('value'), note: cells.get('note'), why: cells.get('why') }
  }
  return undefined
}
