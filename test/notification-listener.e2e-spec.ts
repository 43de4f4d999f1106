import { NotificationListener, notify } from '../src/database/notification-listener';
import { useTestApp } from './support/app';

/** The one LISTEN connection per instance: delivery at commit to every instance, nothing on rollback, reconnection. */
describe('NotificationListener', () => {
  const t = useTestApp();

  const until = async (condition: () => boolean, what: string) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    if (!condition()) throw new Error(`timed out waiting for ${what}`);
  };

  it('hands a committed notification to the subscribers of every instance, and a rolled-back one to none', async () => {
    const other = await t.instance();
    const heard: string[] = [];
    const resets: string[] = [];
    for (const [name, app] of [
      ['a', t.app],
      ['b', other.app],
    ] as const) {
      await app.get(NotificationListener).subscribe('test_channel', { message: (payload) => heard.push(`${name}:${payload}`), reset: () => resets.push(name) });
    }
    await until(() => t.app.get(NotificationListener).listening && other.app.get(NotificationListener).listening, 'listening');
    await t.dataSource.transaction((manager) => notify(manager, 'test_channel', 'one'));
    await t.dataSource
      .transaction(async (manager) => {
        await notify(manager, 'test_channel', 'rolled-back');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await t.dataSource.transaction((manager) => notify(manager, 'test_channel', 'two'));
    await until(() => heard.length >= 4, 'four deliveries');
    expect(heard.sort()).toEqual(['a:one', 'a:two', 'b:one', 'b:two']);
  });

  it('tells subscribers to reset when its connection drops, reconnects, and delivers again', async () => {
    const listener = t.app.get(NotificationListener);
    const heard: string[] = [];
    let resets = 0;
    await listener.subscribe('test_reconnect', { message: (payload) => heard.push(payload), reset: () => resets++ });
    await until(() => listener.listening, 'listening');
    const killed = await t.dataSource.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'clinic-scheduler-listener' AND datname = current_database()`,
    );
    expect(killed.length).toBeGreaterThan(0);
    await until(() => resets >= 2 && listener.listening, 'reset and reconnection');
    await t.dataSource.transaction((manager) => notify(manager, 'test_reconnect', 'after'));
    await until(() => heard.length === 1, 'delivery after reconnecting');
    expect(heard).toEqual(['after']);
  });
});
