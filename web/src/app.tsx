import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { Button } from 'react-aria-components';
import { signOut } from './auth/session';
import { useSessionUser } from './auth/use-session';
import { navigate, useLocation } from './router';
import { NAV, ROLE_LABEL, SCREENS, screenAt, startPath } from './roles';
import { SignIn } from './screens/sign-in';

// Each screen is its own chunk: the sign-in page loads none of them.
const DayBoard = lazy(() => import('./screens/day-board/day-board'));
const CoursePlanner = lazy(() => import('./screens/courses/course-planner'));
const ChairSide = lazy(() => import('./screens/chair-side/chair-side'));
const RemsDesk = lazy(() => import('./screens/rems/rems-desk'));
const ClinicAdmin = lazy(() => import('./screens/admin/clinic-admin'));

export function App() {
  const user = useSessionUser();
  const { path, query } = useLocation();
  const queryClient = useQueryClient();

  // Nothing of a session outlives it: no cached patient or schedule for the next person at this screen.
  useEffect(() => {
    if (!user) queryClient.clear();
  }, [user, queryClient]);

  useEffect(() => {
    if (!user && path !== '/sign-in') navigate('/sign-in', { replace: true });
    else if (user && (path === '/' || path === '/sign-in')) navigate(startPath(user.role) + (query.size ? `?${query}` : ''), { replace: true });
  }, [user, path, query]);

  if (!user) return path === '/sign-in' ? <SignIn /> : null;

  const screen = screenAt(path);
  const allowed = screen && SCREENS[screen].roles.includes(user.role);
  const clinic = query.get('clinic');
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Clinic console</span>
        <nav aria-label="Screens">
          <ul>
            {NAV[user.role].map((id) => (
              <li key={id}>
                <a
                  href={SCREENS[id].path}
                  aria-current={id === screen ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(SCREENS[id].path + (clinic ? `?clinic=${encodeURIComponent(clinic)}` : ''));
                  }}
                >
                  {SCREENS[id].label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {user.name} · {ROLE_LABEL[user.role]}
        </span>
        <Button className="btn btn-quiet" onPress={() => signOut('signed-out')}>
          Sign out
        </Button>
      </header>
      <Suspense
        fallback={
          <main id="main" className="screen" aria-busy="true">
            <p>Loading…</p>
          </main>
        }
      >
        {!allowed ? (
          <main id="main" className="screen">
            <h1>Not available</h1>
            <p>This screen is not part of the {ROLE_LABEL[user.role].toLowerCase()} console.</p>
          </main>
        ) : screen === 'day-board' ? (
          <DayBoard />
        ) : screen === 'courses' ? (
          <CoursePlanner />
        ) : screen === 'chair-side' ? (
          <ChairSide />
        ) : screen === 'rems' ? (
          <RemsDesk />
        ) : (
          <ClinicAdmin />
        )}
      </Suspense>
    </>
  );
}
