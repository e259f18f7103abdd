import { describe, expect, it } from 'vitest';
import { waitFor, WaitTimeoutError } from './wait-for';

describe('waitFor', () => {
  it('resolves once the check holds, treating a throwing check as not yet', async () => {
    let calls = 0;
    await waitFor(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return true;
      },
      { timeoutMs: 1_000, intervalMs: 1, what: 'the third call' },
    );
    expect(calls).toBe(3);
  });

  it('names what it waited for when it times out', async () => {
    await expect(
      waitFor(() => false, { timeoutMs: 20, intervalMs: 5, what: 'kafka to answer' }),
    ).rejects.toThrow(new WaitTimeoutError('timed out after 20 ms waiting for kafka to answer'));
  });

  it('gives up as soon as abortIf returns a reason', async () => {
    const started = Date.now();
    await expect(
      waitFor(() => false, {
        timeoutMs: 10_000,
        intervalMs: 5,
        what: 'redis',
        abortIf: () => 'redis-server (pid 1) exited',
      }),
    ).rejects.toThrow('gave up waiting for redis: redis-server (pid 1) exited');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
