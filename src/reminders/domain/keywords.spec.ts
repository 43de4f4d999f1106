import { normalizeReply, parseKeyword } from './keywords';

describe('parseKeyword', () => {
  it.each([
    'STOP',
    'stop',
    'Stop',
    '  stop  ',
    'quit',
    'END',
    'revoke',
    'opt out',
    'OPT OUT',
    ' Opt  Out ',
    'optout',
    'cancel',
    'CANCEL',
    'unsubscribe',
    'Unsubscribe',
    'stopall',
    'Stop.',
    'STOP!',
  ])('%p opts out', (body) => expect(parseKeyword(body)).toBe('stop'));

  it.each(['START', 'start', ' Start ', 'UNSTOP', 'unstop'])('%p opts back in', (body) => expect(parseKeyword(body)).toBe('start'));

  it.each(['HELP', 'help', ' Help ', 'info'])('%p asks for help', (body) => expect(parseKeyword(body)).toBe('help'));

  it.each(['', '   ', 'yes', 'Y', 'stop by at 3?', 'please cancel my appointment', 'thanks', 'STOPP', 'hello stop', undefined, null, 'x'.repeat(500)])(
    '%p is no keyword',
    (body) => expect(parseKeyword(body as string)).toBeUndefined(),
  );
});

describe('normalizeReply', () => {
  it('reads a short message as one upper-case word or phrase, without surrounding spaces or closing punctuation', () => {
    expect(['  yes! ', 'Confirm.', ' r ', '1', 'opt   out', 'No?'].map(normalizeReply)).toEqual(['YES', 'CONFIRM', 'R', '1', 'OPT OUT', 'NO']);
  });

  it('gives nothing for a long message or no message', () => {
    expect([normalizeReply('x'.repeat(41)), normalizeReply(undefined), normalizeReply(null)]).toEqual([undefined, undefined, undefined]);
  });
});
