import { isPublicAddress, parseTargetUrl } from './target-address';

describe('webhook targets', () => {
  it.each(['8.8.8.8', '93.184.215.14', '2606:4700::1111'])('lets the public address %s through', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it('takes http and https URLs and names the host without IPv6 brackets', () => {
    expect(parseTargetUrl('https://hooks.example.org/clinic?x=1')).toMatchObject({ ok: true, host: 'hooks.example.org' });
    expect(parseTargetUrl('http://[2606:4700::1111]:8443/in')).toMatchObject({ ok: true, host: '2606:4700::1111' });
  });

  it.each([
    ['ftp://hooks.example.org/', 'http or https'],
    ['file:///etc/passwd', 'http or https'],
    ['javascript:alert(1)', 'http or https'],
    ['https://user:secret@hooks.example.org/', 'user name or password'],
    ['/relative/path', 'absolute URL'],
    ['', 'absolute URL'],
  ])('refuses %s (%s)', (url, reason) => {
    const check = parseTargetUrl(url);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toContain(reason);
  });
});
