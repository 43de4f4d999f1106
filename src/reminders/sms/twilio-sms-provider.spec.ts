import { loadConfig } from '../../config/app-config';
import { describeSendError, SmsSendError } from './sms-provider';
import { TwilioSmsProvider } from './twilio-sms-provider';

const create = jest.fn();
const factory = jest.fn(() => ({ messages: { create } }));
jest.mock('twilio', () => factory);

const TWILIO_ENV = { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'token', PUBLIC_BASE_URL: 'https://clinic.example' };

describe('TwilioSmsProvider', () => {
  beforeEach(() => {
    create.mockReset();
    factory.mockClear();
  });

  it('sends through the official SDK from TWILIO_FROM, asking for delivery reports at the status webhook', async () => {
    create.mockResolvedValue({ sid: 'SM0123' });
    const sut = new TwilioSmsProvider(loadConfig({ ...TWILIO_ENV, TWILIO_FROM: '+13035550140' }));
    await expect(sut.send({ to: '+17205551234', body: 'Hello', idempotencyKey: 'reminder:1' })).resolves.toEqual({ providerMessageId: 'SM0123' });
    expect(factory).toHaveBeenCalledWith('AC123', 'token', expect.objectContaining({ timeout: expect.any(Number) }));
    expect(create).toHaveBeenCalledWith({
      to: '+17205551234',
      body: 'Hello',
      from: '+13035550140',
      statusCallback: 'https://clinic.example/api/webhooks/sms/status',
    });
  });

  it('uses the messaging service when one is configured, and creates the client once', async () => {
    create.mockResolvedValue({ sid: 'SM1' });
    const sut = new TwilioSmsProvider(loadConfig({ ...TWILIO_ENV, TWILIO_MESSAGING_SERVICE_SID: 'MG123' }));
    await sut.send({ to: '+17205551234', body: 'a', idempotencyKey: 'k1' });
    await sut.send({ to: '+17205551234', body: 'b', idempotencyKey: 'k2' });
    expect(create).toHaveBeenLastCalledWith(expect.objectContaining({ messagingServiceSid: 'MG123' }));
    expect(create.mock.calls[0][0]).not.toHaveProperty('from');
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('treats a 4xx refusal as permanent and a 5xx, a 429 or a network error as worth retrying', async () => {
    const sut = new TwilioSmsProvider(loadConfig({ ...TWILIO_ENV, TWILIO_FROM: '+13035550140' }));
    const attempt = async (error: unknown) => {
      create.mockRejectedValueOnce(error);
      return sut.send({ to: '+17205551234', body: 'x', idempotencyKey: 'k' }).catch((e: unknown) => e as SmsSendError);
    };
    const invalid = await attempt({ status: 400, code: 21211, message: "The 'To' number +17205551234 is not a valid phone number." });
    expect(invalid).toBeInstanceOf(SmsSendError);
    expect((invalid as SmsSendError).permanent).toBe(true);
    expect(describeSendError(invalid)).toEqual({
      message: "Twilio error 21211 (HTTP 400): The 'To' number [number] is not a valid phone number.",
      permanent: true,
    });
    expect(((await attempt({ status: 503, message: 'Service Unavailable' })) as SmsSendError).permanent).toBe(false);
    expect(((await attempt({ status: 429, code: 20429, message: 'Too Many Requests' })) as SmsSendError).permanent).toBe(false);
    expect(((await attempt(new Error('socket hang up'))) as SmsSendError).permanent).toBe(false);
  });
});
