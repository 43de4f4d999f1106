import { parseReplyWord } from './reply-words';

describe('parseReplyWord', () => {
  it.each(['C', 'c', ' y ', 'Yes', 'YES!', 'confirm', 'Confirm.'])('%p says yes', (body) => expect(parseReplyWord(body)).toEqual({ kind: 'yes' }));
  it.each(['R', ' r', 'Reschedule', 'RESCHEDULE?'])('%p asks to reschedule', (body) => expect(parseReplyWord(body)).toEqual({ kind: 'reschedule' }));
  it.each(['N', 'no', 'No.'])('%p says no', (body) => expect(parseReplyWord(body)).toEqual({ kind: 'no' }));
  it.each([
    ['1', 1],
    [' 2 ', 2],
    ['#3', 3],
    ['3)', 3],
  ])('%p picks time %d', (body, number) => expect(parseReplyWord(body)).toEqual({ kind: 'choice', number }));
  it.each(['', 'cancel', 'stop', 'yes please move it', '12', '0', 'ok', undefined, null])('%p is none of them', (body) =>
    expect(parseReplyWord(body as string)).toBeUndefined(),
  );
});
