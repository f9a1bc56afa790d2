/**
 * Plesk XML API packets as ordered element trees (fast-xml-parser's `preserveOrder` form), because
 * order carries meaning there: each operation of a `<dns>` batch gets its own `<result>`, in order
 * (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-dns/managing-dns-records/deleting-dns-records.34864),
 * and several `<id>` children of one filter each count. The library does the escaping both ways; no
 * DTD or external entity is ever expanded.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** One element: its name, its children in order, its text (concatenated text children). */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  // Values stay strings: a TXT value "0123" or "1e5" must not become a number.
  parseTagValue: false,
  // Leading/trailing blanks of a value are lost; Plesk's answers are not pretty-printed unless
  // HTTP_PRETTY_PRINT is sent, and the adapter never sends values with outer blanks.
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: true, suppressEmptyNode: true, format: false });

function toElement(node: OrderedNode): XmlElement | null {
  const name = Object.keys(node).find((key) => key !== ':@');
  if (name === undefined || name === '#text' || name.startsWith('?')) return null;
  const raw = node[name];
  const kids = Array.isArray(raw) ? (raw as OrderedNode[]) : [];
  const children: XmlElement[] = [];
  let text = '';
  for (const kid of kids) {
    if ('#text' in kid) text += String(kid['#text']);
    else {
      const element = toElement(kid);
      if (element) children.push(element);
    }
  }
  return { name, children, text };
}

/** Parse a whole packet; throws on text that is not XML. */
export function parseXml(text: string): XmlElement {
  const nodes = parser.parse(text) as OrderedNode[];
  const roots = nodes.map(toElement).filter((e): e is XmlElement => e !== null);
  if (roots.length !== 1 || !roots[0]) throw new Error('not one XML document element');
  return roots[0];
}

/** First child of that name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** Text of a child (`''` when the child is there but empty; undefined when absent). */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  return child(element, name)?.text;
}

/** Build input: an element with children, or a leaf with text (`''` → `<name/>`). */
export type XmlNode = { [name: string]: XmlNode[] | string };

function toOrdered(node: XmlNode): OrderedNode {
  const [name, value] = Object.entries(node)[0] as [string, XmlNode[] | string];
  if (typeof value === 'string') return { [name]: value === '' ? [] : [{ '#text': value }] };
  return { [name]: value.map(toOrdered) };
}

/** Serialize `<packet>…</packet>` (the library escapes `&`, `<`, `>`, quotes). */
export function buildXml(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${String(builder.build([toOrdered(root)]))}`;
}
