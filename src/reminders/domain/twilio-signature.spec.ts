import { createHmac } from 'node:crypto';
import { isValidTwilioSignature, publicWebhookUrl } from './twilio-signature';

/** Twilio's published algorithm, written out independently of the SDK: HMAC-SHA1(token, url + Σ sorted(name + value)), base64. */
function sign(token: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', token).update(Buffer.from(data, 'utf-8')).digest('base64');
}

describe('Twilio webhook signatures', () => {
  const token = 'test-auth-token-0123456789abcdef';
  const url = 'https://clinic.example/api/webhooks/sms/inbound';
  const params = { AccountSid: 'AC123', Body: ' Stop ', From: '+17205551234', MessageSid: 'SM1', To: '+13035550140', NumMedia: '0' };

  it("matches Twilio's documented example", () => {
    const example = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };
    const exampleUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(sign('12345', exampleUrl, example)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(isValidTwilioSignature('12345', 'GvWf1cFY/Q7PnoempGyD5oXAezc=', exampleUrl, example)).toBe(true);
  });

  it('accepts a request signed per the algorithm, with the parameters in any order', () => {
    const signature = sign(token, url, params);
    expect(isValidTwilioSignature(token, signature, url, params)).toBe(true);
    const reordered = Object.fromEntries(Object.entries(params).reverse());
    expect(isValidTwilioSignature(token, signature, url, reordered)).toBe(true);
  });

  it('refuses another token, URL, query, parameter value, an extra parameter or a tampered signature', () => {
    const signature = sign(token, url, params);
    expect(isValidTwilioSignature('another-token', signature, url, params)).toBe(false);
    expect(isValidTwilioSignature(token, signature, 'https://evil.example/api/webhooks/sms/inbound', params)).toBe(false);
    expect(isValidTwilioSignature(token, signature, `${url}?x=1`, params)).toBe(false);
    expect(isValidTwilioSignature(token, signature, url, { ...params, Body: 'START' })).toBe(false);
    expect(isValidTwilioSignature(token, signature, url, { ...params, Extra: '1' })).toBe(false);
    expect(isValidTwilioSignature(token, `${signature.slice(0, -2)}A=`, url, params)).toBe(false);
  });

  it('covers the query string of the URL', () => {
    const withQuery = `${url}?clinic=aurora`;
    expect(isValidTwilioSignature(token, sign(token, withQuery, params), withQuery, params)).toBe(true);
  });

  it('is never valid without a token or a signature', () => {
    expect(isValidTwilioSignature(undefined, sign(token, url, params), url, params)).toBe(false);
    expect(isValidTwilioSignature('', sign('', url, params), url, params)).toBe(false);
    expect(isValidTwilioSignature(token, undefined, url, params)).toBe(false);
    expect(isValidTwilioSignature(token, '', url, params)).toBe(false);
  });

  it('builds the public URL from the base and the request path with its query', () => {
    expect(publicWebhookUrl('https://clinic.example', '/api/webhooks/sms/status?x=1')).toBe('https://clinic.example/api/webhooks/sms/status?x=1');
    expect(publicWebhookUrl('https://clinic.example/', '/api/webhooks/sms/inbound')).toBe(url);
  });
});
