/**
 * SEQR's SOAP 1.1 dialect (seqr.md §1) as our client speaks it (the sandbox reads and writes it with
 * its own code, src/sandboxes/seqr/soap-envelopes.ts): document/literal
 * wrapped envelopes in which only the operation element is namespaced
 * (`http://external.interfaces.ers.seamless.com/`, schema `elementFormDefault="unqualified"`) and
 * every element below it is not, plus SOAP Faults.
 *
 * Payloads are plain trees: an element's text is a string, an element with children an object,
 * a repeated element an array. Everything stays a string (amounts `#.##`, 13-digit references
 * with possible leading zeros), so nothing is rounded or reinterpreted on the way.
 *
 * Parsing resolves namespaces properly rather than trusting prefixes: the classic mistake of a
 * default namespace on the operation element (`<sendInvoice xmlns="…"><context>`) silently
 * qualifies every child, and a JAX-WS server then sees no `context` at all. Such a message is
 * refused here with the offending element named (and by the sandbox, as SEQR would).
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export const SEQR_NAMESPACE = 'http://external.interfaces.ers.seamless.com/';
export const SOAP_ENVELOPE_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';

export type XmlValue = string | XmlFields;
/** Child elements by local name; `undefined` leaves an element out when building. */
export interface XmlFields {
  [element: string]: XmlValue | readonly XmlValue[] | undefined;
}

/** SOAP 1.1 fault: `faultcode` without its prefix (`Client`, `Server`, …) and `faultstring`. */
export interface SoapFault {
  code: string;
  message: string;
}

/** A parsed envelope: the body's payload element, or its Fault. */
export type SoapMessage = { kind: 'element'; name: string; fields: XmlFields } | { kind: 'fault'; fault: SoapFault };

/** The text is not a SEQR SOAP message: not XML, not a SOAP 1.1 envelope, or a misqualified payload. */
export class SoapFormatError extends Error {
  override name = 'SoapFormatError';
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function isRepeated(value: XmlValue | readonly XmlValue[]): value is readonly XmlValue[] {
  return Array.isArray(value);
}

/** Drops `undefined` children: the builder would otherwise write them as empty elements. */
function defined(fields: XmlFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[name] = isRepeated(value) ? value.map(definedValue) : definedValue(value);
  }
  return out;
}

function definedValue(value: XmlValue): unknown {
  return typeof value === 'string' ? value : defined(value);
}

/** `<soapenv:Envelope>` with `<ext:operation>` and unprefixed children, as in SEQR's examples. */
export function buildRequest(operation: string, fields: XmlFields): string {
  return (
    XML_DECLARATION +
    builder.build({
      'soapenv:Envelope': {
        '@_xmlns:soapenv': SOAP_ENVELOPE_NAMESPACE,
        '@_xmlns:ext': SEQR_NAMESPACE,
        'soapenv:Header': '',
        'soapenv:Body': { [`ext:${operation}`]: defined(fields) },
      },
    })
  );
}

/** `<ns2:<operation>Response><return>…</return>` as SEQR (JAX-WS) answers. */
export function buildResponse(operation: string, result: XmlFields): string {
  return (
    XML_DECLARATION +
    builder.build({
      'soap:Envelope': {
        '@_xmlns:soap': SOAP_ENVELOPE_NAMESPACE,
        'soap:Body': { [`ns2:${operation}Response`]: { '@_xmlns:ns2': SEQR_NAMESPACE, return: defined(result) } },
      },
    })
  );
}

export function buildFault(fault: SoapFault): string {
  return (
    XML_DECLARATION +
    builder.build({
      'soap:Envelope': {
        '@_xmlns:soap': SOAP_ENVELOPE_NAMESPACE,
        'soap:Body': { 'soap:Fault': { faultcode: `soap:${fault.code}`, faultstring: fault.message } },
      },
    })
  );
}

// ---- parsing ----

/** fast-xml-parser's preserveOrder shape: one key naming the element (or `#text`), attributes under `:@`. */
type OrderedNode = Record<string, unknown>;

interface Element {
  local: string;
  namespace: string | null;
  children: Element[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Values stay strings: "0012" is a reference, not the number 12.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Numeric character references (&#229;) are XML; the parser only decodes them in this mode.
  htmlEntities: true,
});

function attributesOf(node: OrderedNode): Record<string, string> {
  const attributes = node[':@'];
  return typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, string>) : {};
}

/** Resolves the node's element name against the namespace declarations in scope. */
function toElement(node: OrderedNode, inherited: ReadonlyMap<string, string>): Element | null {
  const tag = Object.keys(node).find((key) => key !== ':@');
  if (tag === undefined || tag === '#text' || tag.startsWith('?')) return null;
  const scope = new Map(inherited);
  for (const [attribute, value] of Object.entries(attributesOf(node))) {
    if (attribute === '@_xmlns') scope.set('', value);
    else if (attribute.startsWith('@_xmlns:')) scope.set(attribute.slice('@_xmlns:'.length), value);
  }
  const colon = tag.indexOf(':');
  const prefix = colon === -1 ? '' : tag.slice(0, colon);
  const namespace = scope.get(prefix);
  if (prefix !== '' && namespace === undefined) throw new SoapFormatError(`undeclared namespace prefix in <${tag}>`);
  const content = node[tag];
  const nodes = Array.isArray(content) ? (content as OrderedNode[]) : [];
  const children: Element[] = [];
  let text = '';
  for (const child of nodes) {
    const element = toElement(child, scope);
    if (element) children.push(element);
    else if (typeof child['#text'] === 'string') text += child['#text'];
  }
  // An empty default namespace (xmlns="") means "no namespace".
  return { local: colon === -1 ? tag : tag.slice(colon + 1), namespace: namespace || null, children, text };
}

/** The payload's children must all be unqualified (elementFormDefault="unqualified"). */
function toFields(element: Element): XmlFields {
  const fields: Record<string, XmlValue | XmlValue[]> = {};
  for (const child of element.children) {
    if (child.namespace !== null) {
      throw new SoapFormatError(`<${child.local}> inside <${element.local}> is in namespace ${child.namespace}; SEQR's child elements are unqualified`);
    }
    const value: XmlValue = child.children.length > 0 ? toFields(child) : child.text;
    const existing = fields[child.local];
    if (existing === undefined) fields[child.local] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else fields[child.local] = [existing, value];
  }
  return fields;
}

function soapChild(parent: Element, local: string): Element | undefined {
  return parent.children.find((child) => child.local === local && child.namespace === SOAP_ENVELOPE_NAMESPACE);
}

function parseFault(fault: Element): SoapFault {
  const text = (local: string) => fault.children.find((child) => child.local === local)?.text ?? '';
  // faultcode is a QName (soap:Server); its prefix says nothing the local part does not.
  const code = text('faultcode');
  return { code: code.slice(code.indexOf(':') + 1), message: text('faultstring') };
}

/**
 * Reads a SOAP 1.1 envelope. The payload (the Body's first element) must be a SEQR element with
 * unqualified children, or a SOAP Fault. Throws SoapFormatError for anything else.
 */
export function parseEnvelope(xml: string): SoapMessage {
  // SOAP 1.1 forbids a DTD in a message; refusing it also keeps entity expansion out.
  if (/<!DOCTYPE/i.test(xml)) throw new SoapFormatError('a SOAP message must not contain a DTD');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new SoapFormatError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const roots = (parser.parse(xml) as OrderedNode[]).map((node) => toElement(node, new Map())).filter((element) => element !== null);
  const envelope = roots[0];
  if (envelope === undefined || envelope.local !== 'Envelope' || envelope.namespace !== SOAP_ENVELOPE_NAMESPACE) {
    throw new SoapFormatError(`not a SOAP 1.1 envelope (expected {${SOAP_ENVELOPE_NAMESPACE}}Envelope)`);
  }
  const body = soapChild(envelope, 'Body');
  const payload = body?.children[0];
  if (payload === undefined) throw new SoapFormatError('the SOAP Body is missing or empty');
  if (payload.local === 'Fault' && payload.namespace === SOAP_ENVELOPE_NAMESPACE) return { kind: 'fault', fault: parseFault(payload) };
  if (payload.namespace !== SEQR_NAMESPACE) {
    throw new SoapFormatError(`<${payload.local}> is in namespace ${payload.namespace ?? '(none)'}, expected ${SEQR_NAMESPACE}`);
  }
  return { kind: 'element', name: payload.local, fields: toFields(payload) };
}
