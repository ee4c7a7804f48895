/**
 * The SOAP 1.1 that SEQR's JAX-WS endpoint speaks (seqr.md §1), from the server's side and written
 * for the sandbox alone: it reads requests as SEQR would (document/literal wrapped, the operation
 * element in SEQR's namespace and everything below it unqualified) and writes SEQR's answers and
 * Faults. Shares nothing with the adapter's SOAP code, so each checks the other.
 *
 * A payload is a plain tree of strings: a leaf element is its (trimmed) text, an element with
 * children an object of them by local name, a repeated element an array.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const SEQR_NAMESPACE = 'http://external.interfaces.ers.seamless.com/';
const ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

export type XmlValue = string | XmlFields;
export interface XmlFields {
  [element: string]: XmlValue | readonly XmlValue[] | undefined;
}

/** The request is not something SEQR could unmarshal; answered with a `Client` Fault. */
export class UnreadableSoap extends Error {
  override name = 'UnreadableSoap';
}

// ---- writing ----

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function writeElement(name: string, value: XmlValue): string {
  if (typeof value === 'string') return value === '' ? `<${name}/>` : `<${name}>${escapeXml(value)}</${name}>`;
  const inner = writeChildren(value);
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

function writeChildren(fields: XmlFields): string {
  let xml = '';
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const occurrences: readonly XmlValue[] = typeof value === 'string' || !Array.isArray(value) ? [value as XmlValue] : value;
    for (const one of occurrences) xml += writeElement(name, one);
  }
  return xml;
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${ENVELOPE_NS}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/** `<ns2:{operation}Response xmlns:ns2="…"><return>…</return></ns2:…>`, as JAX-WS writes it. */
export function responseEnvelope(operation: string, result: XmlFields): string {
  const element = `ns2:${operation}Response`;
  return envelope(`<${element} xmlns:ns2="${SEQR_NAMESPACE}">${writeElement('return', result)}</${element}>`);
}

/** A SOAP 1.1 Fault; `code` is the local part of the faultcode (`Client`, `Server`). */
export function faultEnvelope(code: string, message: string): string {
  return envelope(`<soap:Fault><faultcode>soap:${escapeXml(code)}</faultcode><faultstring>${escapeXml(message)}</faultstring></soap:Fault>`);
}

// ---- reading ----

/** fast-xml-parser's grouped output: child elements by qualified name, attributes under ATTRIBUTES, text as `#text`. */
type Grouped = Record<string, unknown>;

const ATTRIBUTES = '#attributes';

// Every value stays text ("0012" is a reference, not 12); entities incl. &#233; are decoded; text is trimmed (the default).
const reader = new XMLParser({ htmlEntities: true, parseTagValue: false, ignoreAttributes: false, attributesGroupName: ATTRIBUTES, attributeNamePrefix: '' });

interface Node {
  qname: string;
  content: unknown;
  /** Prefix → namespace URI in scope at this element ('' is the default namespace). */
  scope: ReadonlyMap<string, string>;
}

function isGrouped(content: unknown): content is Grouped {
  return typeof content === 'object' && content !== null && !Array.isArray(content);
}

/** The namespace declarations of an element added to its parent's. */
function scopeOf(content: unknown, parent: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  const attributes = isGrouped(content) ? content[ATTRIBUTES] : undefined;
  if (!isGrouped(attributes)) return parent;
  const scope = new Map(parent);
  for (const [name, uri] of Object.entries(attributes)) {
    if (typeof uri !== 'string') continue;
    if (name === 'xmlns') scope.set('', uri);
    else if (name.startsWith('xmlns:')) scope.set(name.slice(6), uri);
  }
  return scope;
}

/** Child elements in document order of first appearance; repeated ones once per occurrence. */
function childrenOf(node: Node): Node[] {
  if (!isGrouped(node.content)) return [];
  const children: Node[] = [];
  for (const [qname, value] of Object.entries(node.content)) {
    if (qname === ATTRIBUTES || qname === '#text') continue;
    for (const content of Array.isArray(value) ? value : [value]) children.push({ qname, content, scope: scopeOf(content, node.scope) });
  }
  return children;
}

function localName(node: Node): string {
  return node.qname.slice(node.qname.indexOf(':') + 1);
}

/** The element's namespace URI, or null for none (no default namespace, or `xmlns=""`). */
function namespaceOf(node: Node): string | null {
  const colon = node.qname.indexOf(':');
  const prefix = colon === -1 ? '' : node.qname.slice(0, colon);
  const uri = node.scope.get(prefix);
  if (uri === undefined && prefix !== '') throw new UnreadableSoap(`undeclared namespace prefix in <${node.qname}>`);
  return uri === undefined || uri === '' ? null : uri;
}

function textOf(node: Node): string {
  if (typeof node.content === 'string') return node.content;
  const text = isGrouped(node.content) ? node.content['#text'] : undefined;
  return typeof text === 'string' ? text : '';
}

/** Below the operation element SEQR's schema is unqualified: a namespaced child is not the element JAX-WS expects. */
function payloadTree(node: Node): XmlValue {
  const children = childrenOf(node);
  if (children.length === 0) return textOf(node);
  const tree: Record<string, XmlValue | XmlValue[]> = {};
  for (const child of children) {
    const uri = namespaceOf(child);
    const name = localName(child);
    if (uri !== null) throw new UnreadableSoap(`<${name}> inside <${localName(node)}> is in namespace ${uri}; SEQR's child elements are unqualified`);
    const value = payloadTree(child);
    const before = tree[name];
    if (before === undefined) tree[name] = value;
    else if (Array.isArray(before)) before.push(value);
    else tree[name] = [before, value];
  }
  return tree;
}

/**
 * Reads a request as SEQR's endpoint would: a SOAP 1.1 Envelope whose Body holds one SEQR
 * operation element. Throws UnreadableSoap (→ Client Fault) for anything else.
 */
export function readRequestEnvelope(xml: string): { operation: string; fields: XmlFields } {
  if (/<!DOCTYPE/i.test(xml)) throw new UnreadableSoap('a SOAP message must not contain a DTD');
  const check = XMLValidator.validate(xml);
  if (check !== true) throw new UnreadableSoap(`not well-formed XML: ${check.err.msg} (line ${check.err.line})`);
  const document: Node = { qname: '#document', content: reader.parse(xml) as unknown, scope: new Map() };
  const root = childrenOf(document).find((node) => !node.qname.startsWith('?'));
  if (root === undefined || localName(root) !== 'Envelope' || namespaceOf(root) !== ENVELOPE_NS) {
    throw new UnreadableSoap(`not a SOAP 1.1 envelope (expected {${ENVELOPE_NS}}Envelope)`);
  }
  const body = childrenOf(root).find((node) => localName(node) === 'Body' && namespaceOf(node) === ENVELOPE_NS);
  const operation = body === undefined ? undefined : childrenOf(body)[0];
  if (operation === undefined) throw new UnreadableSoap('the SOAP Body is missing or empty');
  const uri = namespaceOf(operation);
  if (uri === ENVELOPE_NS && localName(operation) === 'Fault') throw new UnreadableSoap('a request cannot be a SOAP Fault');
  if (uri !== SEQR_NAMESPACE) throw new UnreadableSoap(`<${localName(operation)}> is in namespace ${uri ?? '(none)'}, expected ${SEQR_NAMESPACE}`);
  const tree = payloadTree(operation);
  return { operation: localName(operation), fields: typeof tree === 'string' ? {} : tree };
}
