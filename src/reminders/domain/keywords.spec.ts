import { parseKeyword } from './keywords';

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
