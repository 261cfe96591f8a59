/**
 * TwiML, the XML Twilio runs: the few verbs the twilio channel's webhooks answer with
 * (`<Message>`, `<Say>`, `<Gather>`, `<Pause>`, `<Reject>`, `<Hangup>`) and the `.p` app's
 * outgoing calls speak, built here in a few lines instead of through the twilio package's
 * builders (xmlbuilder2 and the REST client's 21 MB on disk). packages/twilio's twiml.test.ts
 * checks the output against twilio's own builders, byte for byte.
 */

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** One element: its attributes in order, then its children (elements or text). */
export class TwimlElement {
  readonly #name: string;
  readonly #attributes: Readonly<Record<string, string | number>>;
  readonly #children: (TwimlElement | string)[] = [];

  constructor(name: string, attributes: Readonly<Record<string, string | number>> = {}) {
    this.#name = name;
    this.#attributes = attributes;
  }

  /** Appends a child element and returns it. */
  add(name: string, attributes?: Readonly<Record<string, string | number>>): TwimlElement {
    const child = new TwimlElement(name, attributes);
    this.#children.push(child);
    return child;
  }

  /** Appends a child element holding `text` (empty text makes an empty element). */
  addText(name: 'Say' | 'Message', text: string): this {
    const child = this.add(name);
    if (text !== '') child.#children.push(text);
    return this;
  }

  /** The element as XML; text and attribute values escaped. */
  toXml(): string {
    let xml = `<${this.#name}`;
    for (const [key, value] of Object.entries(this.#attributes)) {
      xml += ` ${key}="${escapeAttribute(String(value))}"`;
    }
    if (this.#children.length === 0) return `${xml}/>`;
    xml += '>';
    for (const child of this.#children) {
      xml += typeof child === 'string' ? escapeText(child) : child.toXml();
    }
    return `${xml}</${this.#name}>`;
  }
}

/** A whole TwiML document: the XML declaration, then `<Response>`. */
export function twimlDocument(response: TwimlElement): string {
  return XML_DECLARATION + response.toXml();
}

/** Text content, escaped as twilio's builder escapes it. */
function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** An attribute value in double quotes, escaped as twilio's builder escapes it. */
function escapeAttribute(value: string): string {
  return value.replace(/[&<"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#xD;',
};

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};
