/**
 * Safe XML for WeCom and mini-program callbacks: the outer envelope, the decrypted message and the passive reply.
 *
 * Callbacks are attacker-reachable before the signature check, so parsing is defensive
 * (docs/wecom.md, protocol rules: XML parsed safely, no entity expansion, a size limit):
 * any DOCTYPE or ENTITY declaration is refused outright (no billion-laughs, no XXE), the size
 * is capped before parsing, and the document is validated (the parser itself is lenient about
 * unclosed tags, which would let a truncated body through).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError, payloadTooLarge } from '../../crm/kernel/index.ts';

/** Largest XML we parse (a WeCom text message is at most 2048 bytes of content plus a few fields). */
export const MAX_XML_BYTES = 64 * 1024;

const malformed = (message: string) => new AppError('malformed_xml', message);

const parser = new XMLParser({
  ignoreAttributes: true,
  // Keep every value a string: MsgId is a 64-bit integer that a JS number would round.
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Only the five predefined XML entities and numeric character references are decoded
  // (an object here replaces the HTML entity table); DOCTYPE is rejected before parsing, so no
  // declared entity can ever expand. CDATA content is never entity-decoded. xml.test.ts pins this.
  processEntities: true,
  htmlEntities: { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as unknown as boolean,
  maxNestedTags: 16,
});

/** The root <xml> element's direct children that hold text (nested or repeated elements are left out). */
export type XmlFields = Record<string, string>;

/** An element's content as parsed: text, a child map, or repeated children as an array. */
export type XmlNode = string | XmlTree | XmlNode[];
export interface XmlTree {
  [name: string]: XmlNode;
}

/**
 * Parses a WeChat-family XML document (`<xml>…</xml>`) safely and returns the root element's
 * children, nested elements included (e.g. the mini-program's
 * `<SubscribeMsgPopupEvent><List>…</List><List>…</List></SubscribeMsgPopupEvent>`).
 * Throws AppError: 413 `too_large`, 400 `malformed_xml` (also for DOCTYPE/ENTITY declarations).
 */
export function parseXmlTree(xml: string, maxBytes = MAX_XML_BYTES): XmlTree {
  if (Buffer.byteLength(xml, 'utf8') > maxBytes) throw payloadTooLarge('body_too_large', `XML exceeds ${maxBytes} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw malformed('DOCTYPE and ENTITY declarations are not allowed');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw malformed(`malformed XML: ${valid.err.msg}`);
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    throw malformed(`malformed XML: ${(e as Error).message}`);
  }
  const top = (doc ?? {}) as Record<string, unknown>;
  if (Object.keys(top).some((k) => k !== 'xml' && !(k === '#text' && String(top[k]).trim() === ''))) {
    throw malformed('document must have a single <xml> root');
  }
  const root = top.xml;
  if (root === '') return {};
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw malformed('document must have a single <xml> root');
  return root as XmlTree;
}

/**
 * Parses a WeCom XML document (`<xml>…</xml>`) into its text fields. Throws AppError:
 * 413 `too_large`, 400 `malformed_xml` (also for DOCTYPE/ENTITY declarations).
 */
export function parseWeComXml(xml: string, maxBytes = MAX_XML_BYTES): XmlFields {
  if (Buffer.byteLength(xml, 'utf8') > maxBytes) throw payloadTooLarge('body_too_large', `XML exceeds ${maxBytes} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw malformed('DOCTYPE and ENTITY declarations are not allowed');
  const flat = flatFields(xml);
  if (flat) return flat;
  const fields: XmlFields = {};
  for (const [name, value] of Object.entries(parseXmlTree(xml, maxBytes))) {
    if (typeof value === 'string' && name !== '#text') fields[name] = value;
  }
  return fields;
}

const FLAT_OPEN = /(?:<\?xml[^<>?]*\?>)?[ \t\r\n]*<xml>/y;
// One text field: <Name><![CDATA[…]]></Name> (one section, no "]]>" inside) or <Name>text</Name>
// with no markup, entity or "]" in the text — nothing a parser would decode or could read two ways.
const FLAT_FIELD = /[ \t\r\n]*<([A-Za-z_][A-Za-z0-9_.-]*)>(?:<!\[CDATA\[((?:[^\]]|\](?!\]>))*)\]\]>|([^<&\]]*))<\/\1>/y;
const FLAT_CLOSE = /[ \t\r\n]*<\/xml>[ \t\r\n]*$/y;

/**
 * The fields of a flat document — `<xml>` holding only distinct text fields, as every WeCom
 * envelope and text message is — read in one pass, or null for anything else (nested or repeated
 * elements, entities, attributes, comments, self-closing tags…), which the full parser reads.
 * The full parse (validate, then parse) of the envelope and of the decrypted message was ~5 % of
 * the server's CPU per callback (docs/benchmarks.md, bench:http); on what it accepts, this
 * gives the same fields (xml.test.ts compares the two).
 */
export function flatFields(xml: string): XmlFields | null {
  FLAT_OPEN.lastIndex = 0;
  if (!FLAT_OPEN.test(xml)) return null;
  const fields: XmlFields = {};
  let at = FLAT_OPEN.lastIndex;
  for (;;) {
    FLAT_CLOSE.lastIndex = at;
    if (FLAT_CLOSE.test(xml)) return fields;
    FLAT_FIELD.lastIndex = at;
    const m = FLAT_FIELD.exec(xml);
    if (!m) return null;
    const name = m[1]!;
    if (Object.hasOwn(fields, name) || name === 'xml') return null; // repeated: the full parser's array
    const value = m[2] ?? m[3] ?? '';
    // XML's end-of-line handling, as the full parser does it: CR LF and a lone CR read as LF.
    fields[name] = value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
    at = FLAT_FIELD.lastIndex;
  }
}

// XML 1.0 "Char" production: control characters other than tab/LF/CR, lone surrogates and
// U+FFFE/U+FFFF are illegal even inside CDATA; WeCom would reject the whole reply.
const ILLEGAL_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Wraps text in CDATA. A literal "]]>" would end the section early, so it is split across two
 * sections ("]]" + "]]><![CDATA[" + ">"), the standard escape; illegal XML characters are dropped.
 */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(ILLEGAL_XML_CHARS, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** The encrypted passive-reply envelope WeCom expects in the callback's HTTP response. */
export function buildReplyEnvelope(e: { encrypt: string; signature: string; timestamp: string; nonce: string }): string {
  return (
    `<xml><Encrypt>${cdata(e.encrypt)}</Encrypt><MsgSignature>${cdata(e.signature)}</MsgSignature>` +
    `<TimeStamp>${e.timestamp}</TimeStamp><Nonce>${cdata(e.nonce)}</Nonce></xml>`
  );
}

/**
 * The inner (to-be-encrypted) passive text reply. WeCom docs: ToUserName is the member's
 * userid, FromUserName the corp id, CreateTime unix seconds.
 */
export function buildTextReply(r: { toUser: string; fromUser: string; createTime: number; content: string }): string {
  return (
    `<xml><ToUserName>${cdata(r.toUser)}</ToUserName><FromUserName>${cdata(r.fromUser)}</FromUserName>` +
    `<CreateTime>${r.createTime}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(r.content)}</Content></xml>`
  );
}
