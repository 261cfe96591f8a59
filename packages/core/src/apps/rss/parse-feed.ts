/**
 * A feed's items from its XML: RSS 2.0 (and 0.9x), RSS 1.0/RDF and Atom 1.0, told apart by the
 * root element. An item that cannot be read is skipped, never its feed (laitos drops a whole
 * feed for one bad pubDate); an item without a readable date has none and sorts last.
 */
import { decodeHTML, decodeHTMLStrict } from 'entities';
import { XMLParser, type EntityDecoderOptions } from 'fast-xml-parser';
import { parseFeedDate } from './feed-date.js';
import { FeedError } from './feed-error.js';
import { plainText, textOfHtml } from './feed-text.js';

/** One item, as shown: text on one line. */
export interface FeedItem {
  readonly title: string;
  readonly summary: string;
  /** Published (else updated), ms since the epoch; absent when the feed gives no valid date. */
  readonly time?: number;
}

type Node = unknown;
type Element = Readonly<Record<string, Node>>;

// Each comment matches up to its first `-->` only: no backtracking across comments.
const HTML_PAGE =
  /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:(?!-->)[\s\S])*-->\s*)*<(?:!doctype\s+html|html)\b/i;

/** The items of `xml`, in feed order; a FeedError when it is no feed. */
export function parseFeed(xml: string): FeedItem[] {
  const text = xml.replace(/^\uFEFF/, '');
  if (HTML_PAGE.test(text)) throw new FeedError('an HTML page, not a feed');
  // Feeds never need entities of their own: refusing them says why at once. The decoder
  // below never expands them anyway, so no billion laughs can blow up.
  if (/<!ENTITY/i.test(prologOf(text))) {
    throw new FeedError('declares XML entities (refused)');
  }
  if (!text.trimStart().startsWith('<')) throw new FeedError('not XML');
  let doc: Element;
  try {
    doc = parser().parse(text) as Element;
  } catch {
    throw new FeedError('not XML');
  }
  const rss = first(asElement(doc.rss)?.channel);
  const rdf = asElement(doc.RDF);
  const atom = asElement(doc.feed);
  if (rss !== undefined || rdf !== undefined) {
    return items(asElement(rss)?.item ?? rdf?.item, rssItem);
  }
  if (atom !== undefined) return items(atom.entry, atomEntry);
  const root = Object.keys(doc).find((k) => k !== '?xml') ?? 'none';
  throw new FeedError(`not an RSS or Atom feed (root element ${root})`);
}

/**
 * What comes before the first element: where a DOCTYPE declares entities. A search, not a
 * grammar, so that no input can make it backtrack.
 */
function prologOf(text: string): string {
  const root = text.search(/<[A-Za-z_]/);
  return root < 0 ? text : text.slice(0, root);
}

/**
 * The XML level's references: numeric ones, XML's five and HTML's named entities (as readers
 * do), with semicolons. Entities a DOCTYPE declares are ignored, never expanded.
 */
const ENTITIES: EntityDecoderOptions = {
  decode: decodeHTMLStrict,
  setExternalEntities: () => undefined,
  addInputEntities: () => undefined,
  reset: () => undefined,
  setXmlVersion: () => undefined,
};

/** The parser, per call: it keeps state while parsing. */
function parser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true, // dc:date, content:encoded, rdf:RDF
    parseTagValue: false,
    entityDecoder: ENTITIES,
    isArray: (name) => name === 'item' || name === 'entry',
    // Atom's text constructs stay raw, so xhtml keeps its markup in order (atomText).
    stopNodes: ['feed.entry.title', 'feed.entry.summary', 'feed.entry.content'],
  });
}

/** The readable items among `nodes`. */
function items(nodes: Node, read: (e: Element) => FeedItem): FeedItem[] {
  const list = Array.isArray(nodes) ? nodes : [];
  return list.flatMap((node) => {
    const element = asElement(node);
    if (element === undefined) return [];
    const item = read(element);
    return item.title === '' && item.summary === '' ? [] : [item];
  });
}

/** RSS 2.0 and 1.0: title and description are HTML (as readers treat them), dates RFC 822. */
function rssItem(item: Element): FeedItem {
  return withTime(
    {
      title: textOfHtml(textOf(first(item.title))),
      summary: textOfHtml(textOf(item.description ?? item.encoded ?? item.summary)),
    },
    textOf(item.pubDate ?? item.date),
  );
}

/** Atom 1.0 (RFC 4287): text constructs say their type; dates are RFC 3339. */
function atomEntry(entry: Element): FeedItem {
  return withTime(
    {
      title: atomText(first(entry.title)),
      summary: atomText(first(entry.summary ?? entry.content)),
    },
    textOf(entry.published ?? entry.updated),
  );
}

/**
 * An Atom text construct (RFC 4287 §3.1), raw XML: `xhtml` is markup, `html` escaped markup,
 * `text` (the default) text.
 */
function atomText(node: Node): string {
  const type = asElement(node)?.['@_type'];
  const raw = textOf(node);
  if (type === 'xhtml') return textOfHtml(raw);
  return type === 'html' ? textOfHtml(xmlText(raw)) : plainText(xmlText(raw));
}

/** The text of raw XML content: references decoded, CDATA sections as they are. */
function xmlText(raw: string): string {
  return raw
    .split(/<!\[CDATA\[([\s\S]*?)\]\]>/)
    .map((part, i) => (i % 2 === 1 ? part : decodeHTML(part)))
    .join('');
}

function withTime(item: { title: string; summary: string }, date: string): FeedItem {
  const time = parseFeedDate(date);
  return time === undefined ? item : { ...item, time };
}

/** The text content of a node: a string, or an element's text and its children's, in order. */
function textOf(node: Node): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join(' ');
  const element = asElement(node);
  if (element === undefined) return '';
  return Object.entries(element)
    .filter(([key]) => !key.startsWith('@_'))
    .map(([, value]) => textOf(value))
    .join(' ');
}

function first(node: Node): Node {
  return Array.isArray(node) ? node[0] : node;
}

function asElement(node: Node): Element | undefined {
  return typeof node === 'object' && node !== null && !Array.isArray(node)
    ? (node as Element)
    : undefined;
}
