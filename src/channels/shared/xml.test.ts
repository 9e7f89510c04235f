import { describe, expect, it } from 'vitest';
import { AppError } from '../../crm/kernel/errors.ts';
import { buildReplyEnvelope, buildTextReply, cdata, flatFields, parseWeComXml, parseXmlTree } from './xml.ts';

function expectXmlError(xml: string, code: string, maxBytes?: number) {
  let caught: unknown;
  try {
    parseWeComXml(xml, maxBytes);
  } catch (e) {
    caught = e;
  }
  expect(caught, xml.slice(0, 60)).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  expect((caught as AppError).status).toBeGreaterThanOrEqual(400);
  expect((caught as AppError).status).toBeLessThan(500);
}

describe('parseWeComXml', () => {
  it('reads the decrypted sample message, keeping every value a string', () => {
    const xml =
      '<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><FromUserName><![CDATA[ChenJiaShun]]></FromUserName>' +
      '<CreateTime>1476422779</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content>' +
      '<MsgId>7196451227133165879</MsgId><AgentID>1000002</AgentID></xml>';
    expect(parseWeComXml(xml)).toEqual({
      ToUserName: 'ww1436e0e65a779aee',
      FromUserName: 'ChenJiaShun',
      CreateTime: '1476422779',
      MsgType: 'text',
      Content: '你好',
      MsgId: '7196451227133165879', // beyond 2^53: must not be rounded
      AgentID: '1000002',
    });
  });

  it('keeps CDATA literal, decodes only predefined and numeric entities outside it', () => {
    const f = parseWeComXml('<xml><A><![CDATA[&amp; <b> ]]></A><B>x &amp; &lt;y&gt; &#x4F60;&#22909; &amp;lt;</B><C>  spaced  </C></xml>');
    expect(f.A).toBe('&amp; <b> ');
    expect(f.B).toBe('x & <y> 你好 &lt;'); // decoded once, never twice
    expect(f.C).toBe('  spaced  ');
  });

  it('leaves out nested and repeated elements, tolerates a declaration and whitespace', () => {
    const f = parseWeComXml('<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <A>1</A>\n  <N><M>2</M></N>\n  <R>1</R><R>2</R>\n</xml>\n');
    expect(f).toEqual({ A: '1' });
    expect(parseWeComXml('<xml/>')).toEqual({});
  });

  it('refuses DOCTYPE and ENTITY declarations (billion laughs, XXE)', () => {
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><A>&lol2;</A></xml>';
    expectXmlError(lol, 'malformed_xml');
    expectXmlError('<!doctype xml SYSTEM "file:///etc/passwd"><xml><A>&xxe;</A></xml>', 'malformed_xml');
    expectXmlError('<xml><A><!ENTITY x "y"></A></xml>', 'malformed_xml');
  });

  it('an undeclared entity stays literal text (never expanded)', () => {
    expect(parseWeComXml('<xml><A>&foo;</A></xml>').A).toBe('&foo;');
  });

  it('refuses malformed, truncated, multi-rooted and foreign documents', () => {
    for (const bad of ['', 'garbage', '<xml><A>1</A>', '<xml><A>1</xml>', '<xml><A>1</A></xml><xml/>', '<foo><A>1</A></foo>', '<xml><A>1</A></xml><B/>', '[]']) {
      expectXmlError(bad, 'malformed_xml');
    }
  });

  it('refuses oversized input before parsing it', () => {
    expectXmlError(`<xml><A>${'x'.repeat(100)}</A></xml>`, 'body_too_large', 64);
    expectXmlError(`<xml><A>${'中'.repeat(30)}</A></xml>`, 'body_too_large', 64); // bytes, not characters
  });

  it('refuses pathological nesting', () => {
    expectXmlError(`<xml>${'<a>'.repeat(500)}${'</a>'.repeat(500)}</xml>`, 'malformed_xml');
  });
});

describe('flatFields (the one-pass read of flat documents)', () => {
  /** What the full parser makes of `xml`: its text fields, or the error code. */
  const full = (xml: string) => {
    try {
      return Object.fromEntries(Object.entries(parseXmlTree(xml)).filter(([k, v]) => typeof v === 'string' && k !== '#text'));
    } catch (e) {
      return (e as AppError).code;
    }
  };
  const docs = [
    '<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1476422779</CreateTime><MsgId>7196451227133165879</MsgId></xml>',
    '<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <A>1</A>\n  <B><![CDATA[]]></B>\n  <C></C>\n</xml>\n',
    `<xml><C>${cdata('x ]]> y ]]]]> <xml> &amp; "q" 👋 a]')}</C></xml>`,
    `<xml><C>${cdata('a]')}</C><D>${cdata(']')}</D><E>${cdata(']]')}</E></xml>`,
    '<xml><A><![CDATA[&amp; <b> ]]></A><B>x &amp; &lt;y&gt;</B><C>  spaced  </C></xml>',
    '<xml><A>1</A><A>2</A></xml>',
    '<xml><N><M>2</M></N></xml>',
    '<xml><A x="1">1</A></xml>',
    '<xml><A>1</A><!-- c --></xml>',
    '<xml><A> <![CDATA[x]]> </A></xml>',
    '<xml><A>a]]>b</A></xml>',
    '<xml><A>1</A></xml><xml/>',
    '<xml><A>1</A></xml><B/>',
    '<xml><A>1</A>',
    '<xml><A>1</B></xml>',
    '<xml><A/></xml>',
    '<xml/>',
    ' <xml><A>1</A></xml>',
    '<xml><xml>1</xml></xml>',
    '<xml><A>&foo;</A></xml>',
    '<xml><A><![CDATA[a\r\nb\rc\n]]></A><B>c\r\nd\re</B><C>\t x \u00a0</C><D>a\u0001b</D></xml>',
    '<xml>\r\n<A>1</A>\r\n</xml>',
    '<xml>text<A>1</A></xml>',
  ];
  it('reads only what the full parser reads the same way, and leaves the rest to it', () => {
    let flat = 0;
    for (const xml of docs) {
      const f = flatFields(xml);
      if (f) flat++;
      if (f) expect(f, xml).toEqual(full(xml));
      const viaParse = (() => {
        try {
          return parseWeComXml(xml);
        } catch (e) {
          return (e as AppError).code;
        }
      })();
      expect(viaParse, xml).toEqual(full(xml));
    }
    expect(flat).toBeGreaterThanOrEqual(4); // the envelope and message shapes take the one-pass read
    expect(flatFields('<xml><A>1</A><A>2</A></xml>')).toBeNull();
    expect(flatFields('<xml><A>x &amp; y</A></xml>')).toBeNull();
    expect(flatFields('<xml><N><M>2</M></N></xml>')).toBeNull();
  });
});

describe('building replies', () => {
  it('escapes "]]>" inside CDATA so the text survives a parse', () => {
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
    const tricky = 'x ]]> y ]]]]> <xml> &amp; "q" 👋';
    expect(parseWeComXml(`<xml><C>${cdata(tricky)}</C></xml>`).C).toBe(tricky);
  });

  it('drops characters XML cannot carry', () => {
    expect(cdata('a\u0000b\u0007c\ud800d\tok\n')).toBe('<![CDATA[abcd\tok\n]]>');
  });

  it('builds the inner text reply and the envelope in WeCom’s field order', () => {
    const inner = buildTextReply({ toUser: 'ChenJiaShun', fromUser: 'ww1436e0e65a779aee', createTime: 1476422779, content: '你好' });
    expect(inner).toBe(
      '<xml><ToUserName><![CDATA[ChenJiaShun]]></ToUserName><FromUserName><![CDATA[ww1436e0e65a779aee]]></FromUserName>' +
        '<CreateTime>1476422779</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>',
    );
    const env = buildReplyEnvelope({ encrypt: 'abc+/=', signature: 'f'.repeat(40), timestamp: '1476422779', nonce: '123' });
    expect(parseWeComXml(env)).toEqual({ Encrypt: 'abc+/=', MsgSignature: 'f'.repeat(40), TimeStamp: '1476422779', Nonce: '123' });
  });
});

describe('parseXmlTree (nested elements, for the mini-program subscribe events)', () => {
  it('keeps nested and repeated elements, as strings, with the same safety checks', () => {
    const xml =
      '<xml><Event><![CDATA[subscribe_msg_popup_event]]></Event><SubscribeMsgPopupEvent>' +
      '<List><TemplateId><![CDATA[A]]></TemplateId><PopupScene>0</PopupScene></List>' +
      '<List><TemplateId><![CDATA[B]]></TemplateId><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent></xml>';
    expect(parseXmlTree(xml)).toEqual({
      Event: 'subscribe_msg_popup_event',
      SubscribeMsgPopupEvent: { List: [{ TemplateId: 'A', PopupScene: '0' }, { TemplateId: 'B', PopupScene: '2' }] },
    });
    expect(parseWeComXml(xml)).toEqual({ Event: 'subscribe_msg_popup_event' }); // text fields only
    expectXmlError('<!DOCTYPE x [<!ENTITY a "a">]><xml><A>&a;</A></xml>', 'malformed_xml');
  });
});
