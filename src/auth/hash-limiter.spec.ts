import { HashLimiter } from './hash-limiter';

describe('HashLimiter', () => {
  it('runs at most `concurrency` at once, queues up to `queue`, and refuses the rest with a 503', async () => {
    const sut = new HashLimiter(2, 1);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const work = () =>
      sut.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return 'done';
      });
    const first = work();
    const second = work();
    const third = work();
    await expect(work()).rejects.toMatchObject({ status: 503, extensions: { retryAfter: 1 } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sut.load).toEqual({ active: 2, waiting: 1 });
    releases.shift()!();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(releases).toHaveLength(2);
    releases.splice(0).forEach((release) => release());
    await expect(Promise.all([second, third])).resolves.toEqual(['done', 'done']);
    expect(peak).toBe(2);
    expect(sut.load).toEqual({ active: 0, waiting: 0 });
  });
});
